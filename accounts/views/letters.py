import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.forms.letters import LetterSendForm, LetterTemplateForm
from accounts.models import LetterTemplate
from accounts.rules import letter_texts
from accounts.selectors.accounts import account_for_page
from accounts.selectors.letters import (
    letter_for_account,
    letter_recipient,
    letter_template,
    letter_templates,
)
from accounts.services.letters import (
    letter_language,
    letter_send,
    letter_template_update,
    letters_print_file,
)
from accounts.services.letters import letter_pdf as render_letter_pdf
from mesa_cs.lib.roles import LEADS, ROLE_PERMISSIONS, Area, Role, allow

# A letter goes out on City letterhead: the roles that may write to customer
# records (ROLE_PERMISSIONS gives them "add" on accounts) may send one.
LETTER_SENDERS = {
    role
    for role in Role
    if role is Role.ADMINISTRATOR or "add" in ROLE_PERMISSIONS[role].get("accounts", ())
}


def _account_or_404(number):
    account = account_for_page(number)
    if account is None:
        raise Http404(f"No account {number}.")
    return account


def _field_list(kind: str) -> list[tuple[str, str, bool]]:
    """(token, what it holds, common to all letters) for the editor's sidebar."""
    return [
        (
            letter_texts.token(name),
            letter_texts.FIELD_HELP[name],
            name in letter_texts.COMMON_FIELDS,
        )
        for name in letter_texts.allowed_fields(kind)
    ]


def _preview(kind: str, texts: dict[str, str]) -> dict:
    """Each language's wording filled with sample values, for the editor."""
    previews = []
    for language, label in (("en", "English"), ("es", "Spanish")):
        suffix = "" if language == "en" else "_es"
        subject, body = texts[f"subject{suffix}"], texts[f"body{suffix}"]
        if language != "en" and not body.strip():
            continue
        values = letter_texts.sample_values(kind, timezone.localdate(), language)
        merged = letter_texts.merge(body.replace("\r\n", "\n"), values)
        previews.append(
            {
                "language": language,
                "label": label,
                "subject": " ".join(letter_texts.merge(subject, values).split()),
                "paragraphs": [p.strip() for p in merged.split("\n\n") if p.strip()],
                "words": letter_texts.PRINT_WORDS[language],
                "signature": letter_texts.signature_for(kind, language),
            }
        )
    return {
        "previews": previews,
        "preview_unknown": letter_texts.unknown_fields(kind, *texts.values()),
    }


TEXT_FIELDS = ("subject", "body", "subject_es", "body_es")


@allow(Area.ACCOUNTS, roles=LEADS)
def template_list(request):
    return render(request, "accounts/letters/templates.html", {"templates": letter_templates()})


@allow(Area.ACCOUNTS, roles=LEADS)
def template_edit(request, pk):
    template = get_object_or_404(LetterTemplate, pk=pk)
    form = LetterTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        try:
            letter_template_update(
                template_id=template.pk,
                **{name: form.cleaned_data[name] for name in TEXT_FIELDS},
                updated_by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{template.name} saved.")
            return redirect("accounts:index")
    texts = {name: form[name].value() or "" for name in TEXT_FIELDS}
    return render(
        request,
        "accounts/letters/template_edit.html",
        {
            "template": template,
            "form": form,
            "fields": _field_list(template.kind),
            **_preview(template.kind, texts),
        },
        status=400 if form.errors else 200,
    )


@allow(Area.ACCOUNTS, roles=LEADS)
def template_preview(request, pk):
    """The letter filled with sample values, as the editor types (htmx)."""
    template = get_object_or_404(LetterTemplate, pk=pk)
    texts = {name: request.POST.get(name, getattr(template, name)) for name in TEXT_FIELDS}
    return render(request, "accounts/letters/_preview.html", _preview(template.kind, texts))


@allow(Area.ACCOUNTS, roles=LETTER_SENDERS)
def letter_new(request, number):
    account = _account_or_404(number)
    if request.method == "POST":
        form = LetterSendForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                letter = letter_send(
                    account=account,
                    kind=data["kind"],
                    merge={"message": data["message"]},
                    sent_by=request.user,
                    # The form's key: a second submit returns the first letter.
                    source_key=f"clerk:{data['key']}",
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                how = f"e-mailed to {letter.emailed_to}" if letter.emailed_to else "to be mailed"
                messages.success(request, f"Letter sent ({how}).")
                return redirect(f"{account.get_absolute_url()}?tab=contacts")
    else:
        form = LetterSendForm(initial={"key": uuid.uuid4().hex})
    recipient = letter_recipient(account, timezone.localdate())
    general = letter_template(LetterTemplate.Kind.GENERAL)
    # The clerk writes the message in the language the letter goes out in.
    in_spanish = (
        general is not None
        and general.wording(letter_language(recipient))[0] == letter_texts.SPANISH
    )
    if in_spanish:
        form.fields["message"].widget.attrs["lang"] = "es"  # the browser's spell check
    return render(
        request,
        "accounts/letters/letter_new.html",
        {
            "account": account,
            "form": form,
            "recipient": recipient,
            "in_spanish": in_spanish,
        },
        status=400 if form.errors else 200,
    )


@allow(Area.ACCOUNTS)
def letter_pdf(request, number, pk):
    letter = letter_for_account(number, pk)
    if letter is None:
        raise Http404("No such letter on this account.")
    response = HttpResponse(render_letter_pdf(letter), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="letter-{number}-{pk}.pdf"'
    return response


@allow(Area.ACCOUNTS, roles=LETTER_SENDERS)
def print_file(request):
    """The day's paper letters in one PDF for the mail house."""
    from datetime import date

    try:
        day = date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = timezone.localdate()
    count, pdf = letters_print_file(day)
    if not count:
        messages.info(request, f"No letters to mail for {day:%m/%d/%Y}.")
        return redirect("accounts:index")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="letters-to-mail-{day.isoformat()}.pdf"'
    return response
