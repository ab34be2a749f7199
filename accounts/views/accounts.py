import csv
from dataclasses import replace
from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts import services
from accounts.forms.accounts import ContactForm, HistoryFilterForm, NoteForm
from accounts.panels import registered_tab, registered_tabs
from accounts.rules import letter_texts
from accounts.rules.scanline import scan_line
from accounts.selectors import account_history, account_search
from accounts.selectors.accounts import (
    account_contacts,
    account_for_page,
    account_header,
    account_notes,
    account_services,
)
from accounts.selectors.letters import letter_recipient
from accounts.selectors.search import exact_match_outcome
from accounts.services.letters import letter_language
from mesa_cs.lib.dates import today
from mesa_cs.lib.export import neutralise
from mesa_cs.lib.formatting import export_text
from mesa_cs.lib.forms import add_service_errors
from mesa_cs.lib.pdf import render_pdf
from mesa_cs.lib.roles import FIELD_WORK_ROLES, Area, allow, user_roles

OWN_TABS = {"services": "Services", "history": "History", "contacts": "Contacts and notes"}


def _account_or_404(number):
    account = account_for_page(number)
    if account is None:
        raise Http404(f"No account {number}.")
    return account


@allow(Area.ACCOUNTS)
def index(request):
    outcome = account_search(request.GET.get("q", ""))
    if outcome.jump_to is not None:
        if not request.htmx:
            return redirect(outcome.jump_to)
        # Typing live: show the exact match; Enter (a normal submit) opens it.
        outcome = exact_match_outcome(outcome)
    template = "accounts/_results.html" if request.htmx else "accounts/index.html"
    return render(request, template, {"outcome": outcome})


@allow(Area.ACCOUNTS)
def detail(request, number):
    account = _account_or_404(number)
    tab = request.GET.get("tab", "services")
    if tab not in OWN_TABS and registered_tab(tab) is None:
        tab = "services"
    context = {"header": account_header(account), **_tab_page(request, account, tab)}
    return render(request, "accounts/detail.html", context)


@allow(Area.ACCOUNTS)
def tab(request, number, name):
    account = _account_or_404(number)
    if name not in OWN_TABS and registered_tab(name) is None:
        raise Http404("No such tab.")
    context = _tab_page(request, account, name)
    return render(request, context["tab_template"], context)


def _tab_page(request, account, name, **forms) -> dict:
    """Everything a tab needs: the tab list for the tab bar, its template and data."""
    extra = registered_tab(name)
    tabs = [(key, label, None) for key, label in OWN_TABS.items()]
    tabs += [(t.name, t.label, t.badge(account) if t.badge else None) for t in registered_tabs()]
    return {
        "account": account,
        "tab": name,
        "tabs": tabs,
        "tab_template": extra.template if extra else f"accounts/tabs/{name}.html",
        **(
            extra.context(request, account)
            if extra
            else _tab_context(request, account, name, **forms)
        ),
    }


def _tab_context(request, account, name, **forms):
    if name == "services":
        return {"services": account_services(account)}
    if name == "history":
        form = HistoryFilterForm(request.GET or None)
        return {"history": form.filter(account_history(account.pk)), "filter_form": form}
    if name == "contacts":
        return {
            "contacts": account_contacts(account),
            "notes": account_notes(account),
            "contact_form": forms.get("contact_form") or ContactForm(),
            "note_form": forms.get("note_form") or NoteForm(),
        }
    return {}


@allow(Area.ACCOUNTS)
def history_export(request, number):
    account = _account_or_404(number)
    rows = HistoryFilterForm(request.GET or None).filter(account_history(account.pk))
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="account-{number}-history.csv"'
    writer = csv.writer(response)
    writer.writerow(["Date", "Kind", "Description", "Amount", "Balance", "Reversed"])
    for row in rows:
        writer.writerow(
            [
                export_text(row.effective_on),
                row.kind_label,
                neutralise(row.description),
                row.amount,
                "" if row.scheduled else row.running_balance,
                "reversed" if row.reversed else "",
            ]
        )
    return response


@allow(Area.ACCOUNTS)
@require_POST
def contact_add(request, number):
    account = _account_or_404(number)
    form = ContactForm(request.POST)
    if form.is_valid():
        services.contact_log(account=account, created_by=request.user, **form.cleaned_data)
        messages.success(request, "Contact logged.")
        return _back_to_tab(request, account, "contacts")
    return _contacts_with_errors(request, account, contact_form=form)


@allow(Area.ACCOUNTS)
@require_POST
def note_add(request, number):
    account = _account_or_404(number)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.account_note_add(account=account, created_by=request.user, **form.cleaned_data)
        messages.success(request, "Note added.")
        return _back_to_tab(request, account, "contacts")
    return _contacts_with_errors(request, account, note_form=form)


def _back_to_tab(request, account, name):
    if request.htmx:
        context = _tab_page(request, account, name)
        return render(request, context["tab_template"], context)
    return redirect(f"{account.get_absolute_url()}?tab={name}")


def _contacts_with_errors(request, account, **forms):
    context = _tab_page(request, account, "contacts", **forms)
    if request.htmx:
        return render(request, "accounts/tabs/contacts.html", context, status=400)
    context["header"] = account_header(account)
    return render(request, "accounts/detail.html", context, status=400)


@allow(Area.ACCOUNTS)
def statement_pdf(request, number):
    account = _account_or_404(number)
    header = account_header(account)
    on = today()
    # In the customer's language, as their letters are.
    language = letter_language(letter_recipient(account, on))
    history = [
        replace(row, kind_label=letter_texts.entry_kind_label(row.kind, row.kind_label, language))
        for row in account_history(account.pk)[-40:]
    ]
    pdf = render_pdf(
        "accounts/statement_pdf.html",
        {
            "header": header,
            "account": account,
            "history": history,
            "language": language,
            "words": letter_texts.STATEMENT_WORDS[language],
            "printed_on": letter_texts.letter_date(on, language),
            "scan_line": scan_line(account.number, max(header.aging.balance, 0)),
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="statement-{number}.pdf"'
    return response


@allow(Area.ACCOUNTS)
def dispatch_list(request):
    """The day's field work for an area, in street order; prints as a crew sheet."""
    from accounts.models import FieldActivity
    from accounts.selectors.accounts import field_work_for, service_areas

    try:
        day = date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = timezone.localdate()
    area = request.GET.get("area", "")
    kind = request.GET.get("kind", "")
    activities = field_work_for(day, area, kind)
    areas = service_areas()
    return render(
        request,
        "accounts/dispatch.html",
        {
            "activities": activities,
            "can_complete": bool(user_roles(request.user) & FIELD_WORK_ROLES),
            "day": day,
            "area": area,
            "areas": areas,
            "kind": kind,
            "kinds": FieldActivity.Kind.choices,
        },
    )


@allow(Area.ACCOUNTS, roles=FIELD_WORK_ROLES)
def field_complete(request, pk):
    from django.core.exceptions import ValidationError

    from accounts.forms.field import CompleteActivityForm
    from accounts.models import FieldActivity
    from accounts.services.field import field_activity_complete

    activity = get_object_or_404(FieldActivity.objects.select_related("account", "premise"), pk=pk)
    # Work done early is done today, not on the day it was booked for.
    form = CompleteActivityForm(
        request.POST or None,
        kind=activity.kind,
        initial={"completed_on": min(activity.scheduled_on, today())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            field_activity_complete(
                activity_id=activity.pk, completed_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{activity.get_kind_display()} completed.")
            return redirect(
                f"{reverse('accounts:dispatch')}?day={activity.scheduled_on}&area={activity.area}"
            )
    return render(
        request,
        "accounts/field_complete.html",
        {"activity": activity, "form": form},
        status=400 if form.errors else 200,
    )
