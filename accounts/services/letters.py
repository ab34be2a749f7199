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

from accounts.models import Account, Contact, Letter, LetterTemplate
from accounts.rules import letter_texts
from accounts.selectors import account_balance
from accounts.selectors.letters import letter_recipient
from accounts.services.customers import contact_log
from mesa_cs.lib.luhn import reject_card_numbers
from mesa_cs.lib.pdf import render_pdf

PHOENIX = ZoneInfo("America/Phoenix")

CONTACT_TOPICS = {
    LetterTemplate.Kind.WELCOME: Contact.Topic.AUTOMATIC_LETTER,
    LetterTemplate.Kind.DEPOSIT_REQUIRED: Contact.Topic.AUTOMATIC_LETTER,
    LetterTemplate.Kind.DEPOSIT_REFUND: Contact.Topic.AUTOMATIC_LETTER,
    LetterTemplate.Kind.FINAL_BILL: Contact.Topic.AUTOMATIC_LETTER,
    LetterTemplate.Kind.GENERAL: Contact.Topic.OTHER,
    # The Alarm Permit Unit's letters are counted with its conversations.
    **{
        kind: Contact.Topic.ALARM
        for kind in LetterTemplate.Kind.values
        if letter_texts.is_alarm_kind(kind)
    },
}


@transaction.atomic
def letter_template_update(
    *,
    template_id: int,
    subject: str,
    body: str,
    updated_by,
    subject_es: str | None = None,
    body_es: str | None = None,
) -> LetterTemplate:
    """Reword a template (the Spanish wording too, when given); a merge field
    its kind does not have is refused by name."""
    reject_card_numbers(subject=subject, body=body, subject_es=subject_es, body_es=body_es)
    template = LetterTemplate.objects.select_for_update().get(pk=template_id)
    template.subject = subject.strip()
    template.body = body.strip().replace("\r\n", "\n")
    if subject_es is not None and body_es is not None:
        template.subject_es = subject_es.strip()
        template.body_es = body_es.strip().replace("\r\n", "\n")
    template.updated_by = updated_by
    template.updated_at = timezone.now()
    template.full_clean(exclude=["updated_by"])
    template.save(
        update_fields=["subject", "body", "subject_es", "body_es", "updated_by", "updated_at"]
    )
    return template


def _merge_values(
    account: Account, kind: str, merge: dict, recipient, language: str
) -> dict[str, str]:
    extras = set(letter_texts.KIND_FIELDS[kind])
    refused = sorted(set(merge) - extras)
    if refused:
        raise ValidationError(
            f"Not a merge field given for a {LetterTemplate.Kind(kind).label} letter: "
            + ", ".join(refused)
            + "."
        )
    texts = {}
    for name, value in merge.items():
        try:
            texts[name] = letter_texts.merge_value(value, language).strip()
        except (TypeError, KeyError):
            raise ValidationError(
                f"The merge value for {name} is not text, an amount, a date or "
                "wording per language."
            ) from None
    return {
        "customer_name": recipient.name,
        "account_number": account.number,
        "service_address": recipient.service_address,
        "mailing_address": recipient.mailing_address,
        "today": letter_texts.letter_date(timezone.localdate(timezone=PHOENIX), language),
        "balance": letter_texts.letter_balance(account_balance(account.pk), language),
        **texts,
    }


def letter_language(recipient) -> str:
    """The language a customer's letters are written in, when their template
    has that wording (LetterTemplate.wording)."""
    if recipient.person is not None and recipient.person.preferred_language == "es":
        return letter_texts.SPANISH
    return letter_texts.ENGLISH


@transaction.atomic
def letter_send(
    *,
    account: Account,
    kind: str,
    merge: dict | None = None,
    sent_by=None,
    source_key: str = "",
) -> Letter:
    """Write a letter from its kind's template, log it in the contact history,
    and e-mail it (PDF attached) when the main customer has an address; else
    it is for the paper mail. The same non-blank ``source_key`` sends once:
    a second call returns the first letter and sends nothing.

    A customer who prefers Spanish gets the template's Spanish wording when
    it has one. ``merge`` values are text, or a date or Decimal amount
    (formatted in the letter's language), or ``{"en": ..., "es": ...}``."""
    # Text merged into a letter (the clerk's message above all) is stored in it.
    reject_card_numbers(
        **{
            name: " / ".join(str(v) for v in value.values()) if isinstance(value, dict) else value
            for name, value in (merge or {}).items()
            if isinstance(value, str | dict)
        }
    )
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
    language, subject_text, body_text = template.wording(letter_language(recipient))
    values = _merge_values(account, kind, merge or {}, recipient, language)
    # Account fields may be empty (an alarm account has no service address);
    # a value the sending flow owes may not.
    missing = sorted(
        name
        for name in letter_texts.fields_used(subject_text + "\n" + body_text)
        if name not in letter_texts.COMMON_FIELDS and not values.get(name)
    )
    if missing:
        raise ValidationError(
            f"The {template.name} letter needs a value for: " + ", ".join(missing) + "."
        )
    subject = " ".join(letter_texts.merge(subject_text, values).split())[:500]
    letter = Letter(
        account=account,
        kind=kind,
        language=language,
        recipient=recipient.name,
        address="\n".join(recipient.address_lines),
        subject=subject,
        body=letter_texts.merge(body_text, values),
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
                notes=f"Letter sent{' in Spanish' if language == 'es' else ''}: {subject}",
                created_by=sent_by,
            )
            letter.save()
    except IntegrityError:
        if not source_key:
            raise
        # The same event sent it a moment ago in another transaction.
        return Letter.objects.get(source_key=source_key)
    if letter.emailed_to:
        from accounts.tasks import letter_email

        letter_email.delay_on_commit(letter.pk)
    return letter


def _printable(letter: Letter) -> dict:
    """What the letter template prints: the text, and the letterhead, date
    and closing in the letter's own language."""
    paragraphs = [p.strip() for p in letter.body.replace("\r\n", "\n").split("\n\n") if p.strip()]
    sent_on = timezone.localtime(letter.created_at, PHOENIX).date()
    return {
        "letter": letter,
        "account_number": letter.account.number,
        "sent_on": letter_texts.letter_date(sent_on, letter.language),
        "paragraphs": paragraphs,
        "words": letter_texts.PRINT_WORDS[letter.language],
        "letterhead": letter_texts.letterhead_for(letter.kind, letter.language),
        "signature": letter_texts.signature_for(letter.kind, letter.language),
    }


def letter_pdf(letter: Letter) -> bytes:
    item = _printable(letter)
    return render_pdf(
        "accounts/letters/letter_pdf.html",
        {
            "item": item,
            "letter": letter,
            "footer": f"{item['words']['account']} {item['account_number']}",
            "words": item["words"],
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
        {"items": items, "day": day, "footer": f"Mail file {day:%m/%d/%Y}"},
    )
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
                    "\n".join(letter_texts.signature_for(letter.kind, letter.language)),
                    letter_texts.PRINT_WORDS[letter.language]["attached"],
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
