"""The day's notices as one PDF per kind, for the mail house."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from mesa_cs.lib.pdf import render_pdf

from ..models import CollectionEvent, NoticeBatch


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
        notices = [_notice(event, pay_by) for event in events]
        batch.pdf = render_pdf(
            "credit/notice_batch_pdf.html", {"batch": batch, "notices": notices, "run_on": run_on}
        )
        batch.notices, batch.built_at = len(notices), timezone.now()
        batch.save(update_fields=["pdf", "notices", "built_at"])
        built.append(batch.pk)
    return built


def _notice(event: CollectionEvent, pay_by: date) -> dict:
    account = event.account
    holder = next((link.person for link in account.links.all() if link.role == "main"), None)
    premise = next((sa.premise for sa in account.agreements.all()), None)
    amount = f"${event.past_due:,.2f}"
    text = event.step.notice_text.format(
        amount=amount, date=f"{pay_by:%B} {pay_by.day}, {pay_by.year}"
    )
    return {
        "account": account,
        "name": holder.display_name if holder else account.name,
        "mailing": _mailing(holder) or (premise and f"{premise.address_line}\n{premise.city_line}"),
        "amount": amount,
        "title": event.step.get_action_display(),
        "text": text,
    }


def _mailing(person) -> str:
    if person is None or not person.mailing_line1:
        return ""
    lines = [person.mailing_line1, person.mailing_line2]
    lines.append(f"{person.mailing_city}, {person.mailing_state} {person.mailing_zip}")
    return "\n".join(line for line in lines if line)
