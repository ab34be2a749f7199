"""The day's notices as one PDF per kind, for the mail house."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from accounts.rules.letter_texts import ENGLISH, SPANISH, letter_date
from credit.models import CollectionEvent, NoticeBatch
from mesa_cs.lib.formatting import money_text
from mesa_cs.lib.pdf import render_pdf

# What the notice prints around the step's wording, per language.
NOTICE_WORDS = {
    ENGLISH: {
        "city": "City of Mesa Utilities",
        "account": "Account",
        "past_due": "Past due:",
        "footer": "Pay online, by phone, at the Unattended Payment Center or at 55 N Center St. "
        "If you have already paid, thank you; please disregard this notice.",
    },
    SPANISH: {
        "city": "Servicios Públicos de la Ciudad de Mesa",
        "account": "Cuenta",
        "past_due": "Saldo vencido:",
        "footer": "Pague en línea, por teléfono, en el Centro de Pagos Desatendido o en "
        "55 N Center St. Si ya pagó, gracias; no tome en cuenta este aviso.",
    },
}
TITLES_ES = {
    "reminder": "Recordatorio de pago",
    "notice": "Aviso de desconexión",
    "eligible": "Aviso de desconexión",
    "disconnect": "Aviso de desconexión",
    "final_collection": "Factura final sin pagar",
}


def notice_batches_build(*, run_on: date) -> list[int]:
    """Build (or rebuild: the same events give the same letters) every batch
    of ``run_on``; returns the batches built."""
    built = []
    for batch in NoticeBatch.objects.filter(run_on=run_on):
        events = list(
            CollectionEvent.objects.filter(batch=batch)
            .select_related("account", "step")
            .prefetch_related("account__links__person", "account__agreements__premise")
            .order_by("account__number")
        )
        pay_by = run_on + timedelta(days=settings.NOTICE_PAY_WITHIN_DAYS)
        notices = [_notice(event, run_on, pay_by) for event in events]
        batch.pdf = render_pdf(
            "credit/notice_batch_pdf.html", {"batch": batch, "notices": notices, "run_on": run_on}
        )
        batch.notices, batch.built_at = len(notices), timezone.now()
        batch.save(update_fields=["pdf", "notices", "built_at"])
        built.append(batch.pk)
    return built


def _notice(event: CollectionEvent, run_on: date, pay_by: date) -> dict:
    account, step = event.account, event.step
    holder = next((link.person for link in account.links.all() if link.role == "main"), None)
    premise = next((sa.premise for sa in account.agreements.all()), None)
    amount = money_text(event.past_due)
    # A customer who prefers Spanish gets the step's Spanish wording, if written.
    language = ENGLISH
    if holder is not None and holder.preferred_language == SPANISH and step.notice_text_es:
        language = SPANISH
    wording = step.notice_text_es if language == SPANISH else step.notice_text
    return {
        "account": account,
        "language": language,
        "words": NOTICE_WORDS[language],
        "dated": letter_date(run_on, language),
        "name": holder.display_name if holder else account.name,
        "mailing": _mailing(holder) or (premise and f"{premise.address_line}\n{premise.city_line}"),
        "amount": amount,
        "title": (
            TITLES_ES.get(step.action, step.get_action_display())
            if language == SPANISH
            else step.get_action_display()
        ),
        "text": wording.format(amount=amount, date=letter_date(pay_by, language)),
    }


def _mailing(person) -> str:
    if person is None or not person.mailing_line1:
        return ""
    lines = [person.mailing_line1, person.mailing_line2]
    lines.append(f"{person.mailing_city}, {person.mailing_state} {person.mailing_zip}")
    return "\n".join(line for line in lines if line)
