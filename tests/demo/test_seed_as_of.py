"""``seed_demo --as-of D`` builds the city as it stood on D: nothing it
writes is dated after D, so the product's own runs can carry on from D."""

from datetime import date, datetime
from io import StringIO

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.utils import timezone
from pghistory.models import Context, Event

from accounts.models import Account, FieldActivity, JournalEntry, MeterRead
from billing.models import Bill, BillRun
from credit.models import CollectionRun, Hold
from staffing.models import WorkItem

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 11, 1)

# Dates that look forward by their nature: when something falls due, ends,
# expires or is scheduled. The demo may set them after D; each says why.
FORWARD = {
    "accounts.JournalEntry.due_on": "charges fall due after they are billed",
    "billing.Bill.due_on": "a bill falls due after its date",
    "accounts.ServiceAgreement.ends_on": "a stop ordered for a day to come",
    "accounts.ProgramEnrolment.ends_on": "a LISR enrolment runs five years",
    "accounts.FieldActivity.scheduled_on": "field work scheduled for days to come",
    "accounts.Deposit.bond_expires_on": "a utility bond expires in a year",
    "accounts.Contact.follow_up_on": "a follow-up to make",
    "accounts.AccountFlag.ends_on": "a flag set until a day to come",
    "credit.Hold.ends_on": "a hold runs until a day to come",
    "credit.Pledge.expires_on": "an assistance pledge expires after 30 days",
    "credit.ArrangementInstallment.due_on": "an arrangement's installments fall due monthly",
    "staffing.WorkItem.due_on": "a work item due in days to come",
    "staffing.Complaint.level_due_on": "a complaint's level has working days to come",
    "alarms.AlarmPermit.expires_on": "a permit's term ends a year after it starts",
    "alarms.AlarmInvoice.due_on": "an alarm invoice falls due after its date",
    "alarms.AlarmInvoice.term_ends_on": "the term a permit or renewal fee pays for",
    "alarms.Appeal.hearing_by": "an appeal is heard within 30 days of filing",
    "alarms.Appeal.hearing_on": "a hearing scheduled for a day to come",
    "solidwaste.Order.scheduled_on": "a roll-off ticket booked for a pickup in days to come",
    "billing.CycleDate.read_on": "the bill run lays out the year's read days",
    "billing.CycleDate.bill_on": "the bill run lays out the year's bill days",
    # Not business time: the database's own clock (the ledger's trigger holds
    # posted_at to the transaction's start; a bill-run worker's claim is
    # stamped with now() in SQL), and the rate book's effective dates.
    "accounts.JournalEntry.posted_at": "the database's clock when the entry was posted",
    "billing.BillRunItem.claimed_at": "the database's clock when a worker claimed it",
    "billing.RateVersion.effective": "the shipped rate book's effective dates",
    "sessions.Session.expire_date": "login sessions expire after they start",
}


def _scheduled(entry: JournalEntry) -> bool:
    """A future installment the product posts ahead, dated on its month
    (deposit installments after the first, arrangement installments)."""
    key = entry.source_key or ""
    if entry.kind == JournalEntry.Kind.DEPOSIT and key.startswith("deposit:"):
        return not key.endswith(":1")
    return entry.kind == JournalEntry.Kind.ARRANGEMENT and not key.endswith(":0")


def _day(value) -> date:
    return timezone.localtime(value).date() if isinstance(value, datetime) else value


def _checked_models():
    for model in apps.get_models():
        # The audit trail says when each change reached the database.
        if model._meta.app_label != "pghistory" and not issubclass(model, Event | Context):
            yield model


def test_seed_demo_as_of_dates_nothing_after_that_day(settings):
    settings.DEBUG = True
    # Only what the demo makes: not the reference rows the migrations install.
    before = {
        model: model.objects.aggregate(last=models.Max("pk"))["last"] or 0
        for model in _checked_models()
        if isinstance(model._meta.pk, models.AutoField)
    }
    call_command("seed_demo", accounts=60, months=3, as_of=AS_OF, stdout=StringIO())

    # Every kind of record the demo makes is there to be checked.
    for model in (MeterRead, Bill, JournalEntry, FieldActivity, BillRun, CollectionRun, Hold):
        assert model.objects.exists(), model
    assert WorkItem.objects.exists() and Account.objects.count() >= 60

    checked, late = 0, []
    for model in _checked_models():
        made = model.objects.filter(pk__gt=before[model]) if model in before else model.objects
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.DateField):  # DateTimeField too
                continue
            label = f"{model._meta.label}.{field.name}"
            if label in FORWARD:
                continue
            rows = made.exclude(**{field.name: None})
            if model is JournalEntry and field.name == "effective_on":
                rows = [e for e in rows.filter(effective_on__gt=AS_OF) if not _scheduled(e)]
                late += [f"{label}: {e}" for e in rows]
                continue
            values = rows.values_list(field.name, flat=True)
            checked += values.count()
            late += [f"{label}: {v}" for v in values if _day(v) > AS_OF]
    assert late == []
    assert checked > 5_000


def test_collections_run_on_after_a_seed_as_of_an_earlier_day(settings):
    settings.DEBUG = True
    call_command("seed_demo", accounts=60, months=3, as_of=AS_OF, stdout=StringIO())
    assert CollectionRun.objects.order_by("-run_on").first().run_on == AS_OF
    noon = datetime(2026, 11, 16, 12, tzinfo=timezone.get_current_timezone())
    with time_machine.travel(noon, tick=False):
        out = StringIO()
        call_command("run_collections", "--date", "2026-11-16", "--json", stdout=out)
    assert '"accounts_examined"' in out.getvalue()
    assert CollectionRun.objects.filter(run_on=date(2026, 11, 16)).exists()
