"""Writes on correspondence: template wording, sending a letter, e-mailing it.

A letter is saved and logged in the contact history in the caller's
transaction; the e-mail (with the PDF) goes from a Celery task queued on
commit, so no mail server or PDF rendering sits inside a transaction.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from mesa_cs.lib.pdf import render_pdf

from .. import letter_texts
from ..models import Account, Contact, Letter, LetterTemplate
from ..selectors import account_balance
from ..selectors.letters import letter_recipient
from .customers import contact_log

PHOENIX = ZoneInfo("America/Phoenix")

CONTACT_TOPICS = {
    LetterTemplate.Kind.WELCOME: Contact.Topic.START_STOP,
    LetterTemplate.Kind.DEPOSIT_REQUIRED: Contact.Topic.BILLING,
    LetterTemplate.Kind.DEPOSIT_REFUND: Contact.Topic.BILLING,
    LetterTemplate.Kind.FINAL_BILL: Contact.Topic.START_STOP,
    LetterTemplate.Kind.GENERAL: Contact.Topic.OTHER,
}


@transaction.atomic
def letter_template_update(
    *, template_id: int, subject: str, body: str, updated_by
) -> LetterTemplate:
    """Reword a template; a merge field its kind does not have is refused by name."""
    template = LetterTemplate.objects.select_for_update().get(pk=template_id)
    template.subject = subject.strip()
    template.body = body.strip().replace("\r\n", "\n")
    template.updated_by = updated_by
    template.updated_at = timezone.now()
    template.full_clean(exclude=["updated_by"])
    template.save(update_fields=["subject", "body", "updated_by", "updated_at"])
    return template


def _merge_values(account: Account, kind: str, merge: dict[str, str], recipient) -> dict:
    extras = set(letter_texts.KIND_FIELDS[kind])
    refused = sorted(set(merge) - extras)
    if refused:
        raise ValidationError(
            f"Not a merge field given for a {LetterTemplate.Kind(kind).label} letter: "
            + ", ".join(refused)
            + "."
        )
    not_text = sorted(name for name, value in merge.items() if not isinstance(value, str))
    if not_text:
        raise ValidationError(
            "Merge values are text; format money with letter_money and dates with "
            "letter_date: " + ", ".join(not_text) + "."
        )
    return {
        "customer_name": recipient.name,
        "account_number": account.number,
        "service_address": recipient.service_address,
        "mailing_address": recipient.mailing_address,
        "today": letter_texts.letter_date(timezone.localdate(timezone=PHOENIX)),
        "balance": letter_texts.letter_balance(account_balance(account.pk)),
        **{name: value.strip() for name, value in merge.items()},
    }


@transaction.atomic
def letter_send(
    *,
    account: Account,
    kind: str,
    merge: dict[str, str] | None = None,
    sent_by=None,
    source_key: str = "",
) -> Letter:
    """Write a letter from its kind's template, log it in the contact history,
    and e-mail it (PDF attached) when the main customer has an address; else
    it is for the paper mail. The same non-blank ``source_key`` sends once:
    a second call returns the first letter and sends nothing."""
    source_key = source_key.strip()
    if source_key:
        existing = Letter.objects.filter(source_key=source_key).first()
        if existing is not None:
            return existing
    if kind not in LetterTemplate.Kind.values:
        raise ValidationError(f"There is no {kind!r} letter.")
    template = LetterTemplate.objects.filter(kind=kind).first()
    if template is None or not template.active:
        raise ValidationError(
            f"The {LetterTemplate.Kind(kind).label} letter is not in use; "
            "an administrator can turn it back on."
        )
    recipient = letter_recipient(account, timezone.localdate(timezone=PHOENIX))
    values = _merge_values(account, kind, merge or {}, recipient)
    # Account fields may be empty (an alarm account has no service address);
    # a value the sending flow owes may not.
    missing = sorted(
        name
        for name in letter_texts.fields_used(template.subject + "\n" + template.body)
        if name not in letter_texts.COMMON_FIELDS and not values.get(name)
    )
    if missing:
        raise ValidationError(
            f"The {template.name} letter needs a value for: " + ", ".join(missing) + "."
        )
    subject = " ".join(letter_texts.merge(template.subject, values).split())[:500]
    letter = Letter(
        account=account,
        kind=kind,
        recipient=recipient.name,
        address="\n".join(recipient.address_lines),
        subject=subject,
        body=letter_texts.merge(template.body, values),
        created_by=sent_by,
        emailed_to=recipient.email,
        source_key=source_key,
    )
    try:
        with transaction.atomic():
            letter.contact = contact_log(
                account=account,
                person=recipient.person,
                channel=Contact.Channel.EMAIL if recipient.email else Contact.Channel.LETTER,
                topic=CONTACT_TOPICS[kind],
                notes=f"Letter sent: {subject}",
                created_by=sent_by,
            )
            letter.save()
    except IntegrityError:
        if not source_key:
            raise
        # The same event sent it a moment ago in another transaction.
        return Letter.objects.get(source_key=source_key)
    if letter.emailed_to:
        from ..tasks import letter_email

        letter_email.delay_on_commit(letter.pk)
    return letter


def _printable(letter: Letter) -> dict:
    paragraphs = [p.strip() for p in letter.body.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return {
        "letter": letter,
        "account_number": letter.account.number,
        "sent_on": timezone.localtime(letter.created_at, PHOENIX).date(),
        "paragraphs": paragraphs,
    }


def letter_pdf(letter: Letter) -> bytes:
    item = _printable(letter)
    return render_pdf(
        "accounts/letters/letter_pdf.html",
        {
            "item": item,
            "letter": letter,
            "account_number": item["account_number"],
            "letterhead": letter_texts.LETTERHEAD,
            "signature": letter_texts.SIGNATURE,
        },
    )


def paper_letters(day: date):
    """The letters of a day that go by post (no e-mail address), by account."""
    start = datetime.combine(day, time.min, tzinfo=PHOENIX)
    return (
        Letter.objects.filter(
            emailed_to="", created_at__gte=start, created_at__lt=start + timedelta(days=1)
        )
        .select_related("account")
        .order_by("account__number", "pk")
    )


def letters_print_file(day: date) -> tuple[int, bytes]:
    """One PDF of the day's paper letters for the mail house, a letter per
    sheet; (how many letters, the PDF)."""
    items = [_printable(letter) for letter in paper_letters(day)]
    pdf = render_pdf(
        "accounts/letters/print_file_pdf.html",
        {
            "items": items, "day": day, "day_label": f"{day:%m/%d/%Y}",
            "letterhead": letter_texts.LETTERHEAD, "signature": letter_texts.SIGNATURE,
        },
    )  # fmt: skip
    return len(items), pdf


def letter_email_send(*, letter_id: int) -> bool:
    """E-mail a letter once. The row is claimed by setting ``emailed_at``
    where it is still empty, so a second run (a redelivered task) finds it
    claimed and sends nothing; a failed send gives the claim back for the
    retry. Deliberately outside a transaction: the claim commits before the
    slow work (PDF, mail server) starts."""
    claimed = (
        Letter.objects.filter(pk=letter_id, emailed_at__isnull=True)
        .exclude(emailed_to="")
        .update(emailed_at=timezone.now())
    )
    if not claimed:
        return False
    letter = Letter.objects.select_related("account").get(pk=letter_id)
    try:
        message = EmailMessage(
            subject=letter.subject,
            body="\n\n".join(
                [
                    letter.body,
                    "\n".join(letter_texts.SIGNATURE),
                    "A copy of this letter is attached as a PDF.",
                ]
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[letter.emailed_to],
        )
        message.attach(
            f"letter-{letter.account.number}-{letter.pk}.pdf", letter_pdf(letter), "application/pdf"
        )
        message.send()
    except Exception:
        Letter.objects.filter(pk=letter_id).update(emailed_at=None)
        raise
    return True
