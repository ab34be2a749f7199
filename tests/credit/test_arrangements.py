"""Payment arrangements: Mesa's eligibility rules one by one, the re-aging on
the ledger, installments billed in their months, the nightly review (kept,
broken, run twice), supervisor overrides and cancellation, and the pages."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import Account, Contact, JournalEntry, ProgramEnrolment
from accounts.selectors import (
    account_aging,
    account_balance,
    account_history,
    ledger_unbalanced_entries,
)
from accounts.services import Charge, charges_post, entry_reverse, payment_post
from billing.models import BillCycle, CycleDate
from credit.models import ArrangementInstallment, ArrangementRequest, Hold, PaymentArrangement
from credit.services.arrangements import (
    ARRANGEMENT_APPROVAL,
    add_months,
    arranged_not_billed,
    arrangement_cancel,
    arrangement_eligibility,
    arrangement_make,
    arrangement_request,
    arrangement_request_approve,
    arrangement_request_decline,
    arrangement_schedule,
    arrangements_review,
    request_key,
)
from credit.services.collections import collections_run
from credit.services.holds import holds_in_force
from mesa_cs.lib.roles import Role
from staffing.models import WorkItem
from tests.factories import AccountFactory, UserFactory, agreement

pytestmark = pytest.mark.django_db
ON = date(2026, 3, 10)


def bill(account, amount, billed_on, due_on):
    return charges_post(
        account=account,
        kind=JournalEntry.Kind.BILL,
        effective_on=billed_on,
        due_on=due_on,
        description="Bill",
        charges=[Charge(D(amount), "water", "W1.1")],
    )


@pytest.fixture
def behind():
    """$200.00 past due on ON (January's and February's bills) and March's
    $90.00 bill not yet due."""
    account = AccountFactory()
    bill(account, "120.00", date(2026, 1, 5), date(2026, 1, 26))
    bill(account, "80.00", date(2026, 2, 5), date(2026, 2, 26))
    bill(account, "90.00", date(2026, 3, 5), date(2026, 3, 26))
    return account


@pytest.fixture
def credit(role_users):
    return role_users[Role.CREDIT]


@pytest.fixture
def supervisor(role_users):
    return role_users[Role.SUPERVISOR]


def assert_ledger_sound():
    # Balanced entries are checked at commit; a test never commits, so ask now.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert ledger_unbalanced_entries() == []


def make(account, by, **kwargs):
    fields = {"down_payment": D("50.00"), "months": 3, "made_by": by, "on": ON}
    return arrangement_make(account=account, **(fields | kwargs))


def past_arrangement(account, by, made_on, status=PaymentArrangement.Status.KEPT, ended_on=None):
    # Earlier arrangements, as the review left them.
    return PaymentArrangement.objects.create(
        account=account,
        made_on=made_on,
        amount=D("100.00"),
        months=2,
        made_by=by,
        status=status,
        ended_on=ended_on or made_on + timedelta(days=60),
    )


# --- Eligibility, rule by rule -----------------------------------------------------


def test_an_account_in_good_standing_is_eligible(behind):
    assert arrangement_eligibility(behind, ON) == []


def test_four_arrangements_in_the_last_twelve_months_refuse_a_fifth(behind, credit):
    past_arrangement(behind, credit, date(2025, 3, 10))  # 12 months ago: not counted
    for made_on in (date(2025, 4, 1), date(2025, 7, 1), date(2025, 10, 1)):
        past_arrangement(behind, credit, made_on)
    past_arrangement(behind, credit, date(2026, 1, 2), status=PaymentArrangement.Status.CANCELLED)
    assert arrangement_eligibility(behind, ON) == []
    past_arrangement(behind, credit, date(2026, 1, 5))
    (reason,) = arrangement_eligibility(behind, ON)
    assert "4 payment arrangements in the last 12 months" in reason


def test_two_broken_in_the_last_twelve_months_refuse(behind, credit):
    broken = PaymentArrangement.Status.BROKEN
    past_arrangement(behind, credit, date(2024, 12, 1), status=broken, ended_on=date(2025, 2, 1))
    past_arrangement(behind, credit, date(2025, 6, 1), status=broken, ended_on=date(2025, 8, 1))
    assert arrangement_eligibility(behind, ON) == []
    past_arrangement(behind, credit, date(2025, 11, 1), status=broken, ended_on=date(2026, 1, 1))
    (reason,) = arrangement_eligibility(behind, ON)
    assert reason.startswith("It broke 2 payment arrangements")


def test_budget_billing_refuses_while_it_is_in_force(behind):
    ProgramEnrolment.objects.create(
        account=behind, program="BUDGET", starts_on=date(2025, 1, 1), ends_on=date(2026, 2, 28)
    )
    assert arrangement_eligibility(behind, ON) == []
    ProgramEnrolment.objects.create(account=behind, program="BUDGET", starts_on=date(2026, 3, 1))
    assert arrangement_eligibility(behind, ON) == ["It is on Budget Billing."]


def test_a_final_bill_refuses_by_account_status(behind):
    Account.objects.filter(pk=behind.pk).update(status=Account.Status.FINAL)
    behind.refresh_from_db()
    assert arrangement_eligibility(behind, ON) == [
        "It is receiving a final bill: its service has ended."
    ]


def test_a_final_bill_refuses_when_every_service_has_ended(behind):
    water = agreement(behind, status="active")
    assert arrangement_eligibility(behind, ON) == []
    water.status, water.ends_on = "final", date(2026, 3, 1)
    water.save(update_fields=["status", "ends_on"])
    assert arrangement_eligibility(behind, ON) == [
        "It is receiving a final bill: its service has ended."
    ]


def test_a_returned_last_payment_refuses_until_a_later_payment(behind):
    paid = payment_post(account=behind, amount=D("20.00"), effective_on=date(2026, 3, 1))
    assert arrangement_eligibility(behind, ON) == []
    entry_reverse(entry=paid, reason="returned R01", effective_on=date(2026, 3, 4))
    assert arrangement_eligibility(behind, ON) == ["Its last payment was returned (03/04/2026)."]
    payment_post(account=behind, amount=D("20.00"), effective_on=date(2026, 3, 6))
    assert arrangement_eligibility(behind, ON) == []


def test_the_refusal_lists_every_reason(behind):
    ProgramEnrolment.objects.create(account=behind, program="BUDGET", starts_on=date(2026, 1, 1))
    Account.objects.filter(pk=behind.pk).update(status=Account.Status.FINAL)
    behind.refresh_from_db()
    assert len(arrangement_eligibility(behind, ON)) == 2


# --- Making one: the ledger --------------------------------------------------------------


def test_reaging_keeps_the_balance_exact_and_clears_the_past_due(behind, credit):
    owed = account_balance(behind.pk)
    assert owed == D("290.00") and account_aging(behind.pk, as_of=ON).past_due == D("200.00")

    made = make(behind, credit)

    assert made.amount == D("200.00") and made.status == "active"
    assert account_balance(behind.pk) == owed  # every entry, installments included
    assert account_aging(behind.pk, as_of=ON).past_due == D("0.00")
    # Today's balance is March's bill and the down payment; the rest is billed later.
    assert account_aging(behind.pk, as_of=ON).balance == D("140.00")
    assert arranged_not_billed(behind.pk, ON) == D("150.00")
    last = max(row.due_on for row in made.installments.all())
    assert account_balance(behind.pk, as_of=last) == owed
    assert JournalEntry.objects.filter(account=behind, kind="arrangement").count() == 4
    assert_ledger_sound()


def test_the_down_payment_is_due_today_and_installments_share_the_rest(behind, credit):
    made = make(behind, credit, down_payment=D("49.99"), months=3)
    rows = list(made.installments.values_list("number", "due_on", "amount"))
    assert rows[0] == (0, ON, D("49.99"))
    assert [amount for _, _, amount in rows[1:]] == [D("50.01"), D("50.00"), D("50.00")]


def test_an_arrangement_covers_at_least_the_past_due(behind, credit):
    with pytest.raises(ValidationError, match=r"at least the past due \(\$200.00\)"):
        make(behind, credit, amount=D("150.00"))
    with pytest.raises(ValidationError, match="no more than that"):
        make(behind, credit, amount=D("290.01"))
    with pytest.raises(ValidationError, match="less than the amount arranged"):
        make(behind, credit, down_payment=D("200.00"))
    with pytest.raises(ValidationError, match="From 1 to 6 months"):
        make(behind, credit, months=7)


def test_the_longest_arrangement_is_a_setting_not_a_database_rule(behind, credit, settings):
    settings.ARRANGEMENT_MAX_MONTHS = 9
    made = make(behind, credit, months=9)
    assert made.months == 9 and made.installments.filter(number__gt=0).count() == 9


def test_nothing_past_due_is_nothing_to_arrange(credit):
    account = AccountFactory()
    bill(account, "90.00", date(2026, 3, 5), date(2026, 3, 26))
    with pytest.raises(ValidationError, match="Nothing is past due"):
        make(account, credit)


def test_installments_appear_as_charges_in_their_months(behind, credit):
    # Cycle 1 bills April on the 3rd; May and June have no schedule yet.
    CycleDate.objects.create(
        cycle=BillCycle.objects.get(number=1),
        year=2026,
        month=4,
        read_on=date(2026, 4, 1),
        bill_on=date(2026, 4, 3),
    )
    make(behind, credit, months=3)
    charges = [
        (row.effective_on, row.amount)
        for row in account_history(behind.pk)
        if row.kind == "arrangement" and row.amount > 0
    ]
    assert charges == [
        (date(2026, 4, 3), D("50.00")),
        (date(2026, 5, 10), D("50.00")),
        (date(2026, 6, 10), D("50.00")),
    ]
    dues = list(
        JournalEntry.objects.filter(kind="arrangement", effective_on__gt=ON)
        .order_by("effective_on")
        .values_list("due_on", flat=True)
    )
    assert dues == [date(2026, 4, 24), date(2026, 5, 31), date(2026, 7, 1)]
    # Each month's bill shows only what has been billed by its date.
    assert account_balance(behind.pk, as_of=date(2026, 4, 3)) == D("190.00")
    assert account_balance(behind.pk, as_of=date(2026, 5, 10)) == D("240.00")


def test_the_hold_and_the_contact_are_recorded(behind, credit):
    made = make(behind, credit)
    hold = Hold.objects.get(source_key=f"arrangement:{made.pk}")
    assert hold.kind == "arrangement" and hold.released_on is None
    assert hold.ends_on == made.installments.order_by("-number").first().due_on
    assert holds_in_force([behind.pk], ON)[behind.pk] == hold
    contact = Contact.objects.get(account=behind)
    assert contact.topic == "arrangement" and "Down payment: $50.00 due 03/10/2026" in contact.notes


def test_one_active_arrangement_at_a_time(behind, credit):
    make(behind, credit)
    with pytest.raises(ValidationError, match="already has an active"):
        make(behind, credit)


# --- Supervisor override -----------------------------------------------------------------


def test_an_ineligible_account_needs_a_supervisors_override(behind, credit, supervisor):
    ProgramEnrolment.objects.create(account=behind, program="BUDGET", starts_on=date(2026, 1, 1))
    with pytest.raises(ValidationError, match="Budget Billing"):
        make(behind, credit)
    with pytest.raises(ValidationError, match="needs the supervisor"):
        make(behind, credit, override_reason="Medical emergency")
    with pytest.raises(ValidationError, match="is not a supervisor"):
        make(behind, credit, override_reason="Medical emergency", approved_by=credit)
    with pytest.raises(ValidationError, match="Another supervisor"):
        make(behind, supervisor, override_reason="Medical emergency", approved_by=supervisor)

    made = make(behind, credit, override_reason="Medical emergency", approved_by=supervisor)
    assert made.override_reason == "Medical emergency" and made.approved_by == supervisor
    assert (
        f"Override approved by {supervisor.get_full_name()}"
        in Contact.objects.get(account=behind).notes
    )


def ask(account, by, **kwargs):
    fields = {
        "down_payment": D("0"),
        "months": 3,
        "requested_by": by,
        "on": timezone.localdate(),
        "override_reason": "Medical emergency",
    }
    return arrangement_request(account=account, **(fields | kwargs))


@pytest.fixture
def on_budget(overdue_today):
    ProgramEnrolment.objects.create(
        account=overdue_today, program="BUDGET", starts_on=date(2020, 1, 1)
    )
    return overdue_today


def test_an_override_asked_for_waits_then_a_supervisor_makes_it(on_budget, credit, supervisor):
    request = ask(on_budget, credit, down_payment=D("20.00"))
    assert request.status == ArrangementRequest.Status.PENDING and request.amount == D("200.00")
    assert not PaymentArrangement.objects.filter(account=on_budget).exists()
    assert account_aging(on_budget.pk).past_due == D("200.00")  # collection goes on
    item = WorkItem.objects.get(kind=ARRANGEMENT_APPROVAL, source_key=request_key(request.pk))
    assert item.section == "credit" and not item.is_closed
    with pytest.raises(ValidationError, match="waits for a supervisor"):
        arrangement_make(
            account=on_budget,
            down_payment=D("0"),
            months=2,
            made_by=credit,
            on=timezone.localdate(),
            override_reason="x",
            approved_by=supervisor,
        )
    with pytest.raises(ValidationError, match="already waits"):
        ask(on_budget, credit)

    made = arrangement_request_approve(request_id=request.pk, by=supervisor)
    assert (made.made_by, made.approved_by) == (credit, supervisor)
    assert (made.amount, made.down_payment, made.months) == (D("200.00"), D("20.00"), 3)
    aging = account_aging(on_budget.pk)  # only the down payment, due today
    assert (aging.past_due, aging.balance) == (D("0.00"), D("20.00"))
    item.refresh_from_db()
    assert item.is_closed
    with pytest.raises(ValidationError, match="already been decided"):
        arrangement_request_approve(request_id=request.pk, by=supervisor)


def test_an_override_is_decided_by_another_supervisor(on_budget, credit, supervisor):
    request = ask(on_budget, credit)
    with pytest.raises(ValidationError, match="is not a supervisor"):
        arrangement_request_approve(request_id=request.pk, by=UserFactory(role=Role.CREDIT))
    own = ask(_ineligible(), supervisor)  # a supervisor asking, too, waits for another
    with pytest.raises(ValidationError, match="Another supervisor"):
        arrangement_request_approve(request_id=own.pk, by=supervisor)
    assert not PaymentArrangement.objects.exists()


def _ineligible():
    account = AccountFactory()
    today = timezone.localdate()
    bill(account, "90.00", today - timedelta(days=40), today - timedelta(days=19))
    ProgramEnrolment.objects.create(account=account, program="BUDGET", starts_on=date(2020, 1, 1))
    return account


def test_a_declined_override_makes_nothing_and_notes_why(on_budget, credit, supervisor):
    request = ask(on_budget, credit)
    with pytest.raises(ValidationError, match="Say why"):
        arrangement_request_decline(request_id=request.pk, by=supervisor, why=" ")
    arrangement_request_decline(request_id=request.pk, by=supervisor, why="Third this year")
    request.refresh_from_db()
    assert request.status == ArrangementRequest.Status.DECLINED
    assert request.decline_reason == "Third this year"
    assert not PaymentArrangement.objects.filter(account=on_budget).exists()
    assert "declined: Third this year" in on_budget.notes.get().text
    assert ask(on_budget, credit).status == ArrangementRequest.Status.PENDING  # may ask again


def test_an_eligible_account_or_no_reason_asks_for_nothing(overdue_today, on_budget, credit):
    eligible = _eligible_now()
    with pytest.raises(ValidationError, match="is eligible"):
        ask(eligible, credit)
    with pytest.raises(ValidationError, match="Say why"):
        ask(on_budget, credit, override_reason="")
    with pytest.raises(ValidationError, match="at least the past due"):
        ask(on_budget, credit, amount=D("50.00"))


def _eligible_now():
    account = AccountFactory()
    today = timezone.localdate()
    bill(account, "75.00", today - timedelta(days=40), today - timedelta(days=19))
    return account


def test_an_eligible_account_records_no_override(behind, credit, supervisor):
    made = make(behind, credit, override_reason="not needed", approved_by=supervisor)
    assert made.override_reason == "" and made.approved_by is None


# --- The nightly review ---------------------------------------------------------------------


def states(made, on):
    return [line.state for line in arrangement_schedule(made, on)]


def test_a_down_payment_paid_beside_an_unpaid_current_bill_is_not_missed(behind, credit):
    # Credits pay what falls due first: the down payment (due today) before
    # March's bill (due 03/26), though March's bill is older.
    made = make(behind, credit)
    payment_post(account=behind, amount=D("50.00"), effective_on=ON)
    report = arrangements_review(on=ON + timedelta(days=1))
    assert report["broken"] == [] and report["kept"] == []
    assert states(made, ON + timedelta(days=1)) == [
        "paid",
        "not_billed",
        "not_billed",
        "not_billed",
    ]


def test_a_missed_installment_breaks_the_arrangement_and_releases_the_hold(behind, credit):
    owed = account_balance(behind.pk)
    made = make(behind, credit)
    payment_post(account=behind, amount=D("140.00"), effective_on=date(2026, 3, 20))
    first = made.installments.get(number=1)
    assert arrangements_review(on=first.due_on)["broken"] == []  # due today: not missed yet

    broke_on = first.due_on + timedelta(days=1)
    report = arrangements_review(on=broke_on)

    made.refresh_from_db()
    assert report["broken"] == [made.pk]
    assert made.status == "broken" and made.ended_on == broke_on
    hold = Hold.objects.get(source_key=f"arrangement:{made.pk}")
    assert hold.released_on == broke_on
    assert holds_in_force([behind.pk], broke_on) == {}
    # Everything not yet billed falls due the day it broke: nothing is parked.
    assert account_balance(behind.pk) == owed - D("140.00")
    assert account_aging(behind.pk, as_of=broke_on).balance == owed - D("140.00")
    assert arranged_not_billed(behind.pk, broke_on) == D("0.00")
    assert account_aging(behind.pk, as_of=broke_on + timedelta(days=1)).past_due == D("150.00")
    assert states(made, broke_on) == ["paid", "past_due", "brought_forward", "brought_forward"]
    assert_ledger_sound()


def test_the_review_run_twice_changes_nothing(behind, credit):
    made = make(behind, credit)
    day = made.installments.get(number=0).due_on + timedelta(days=1)
    first = arrangements_review(on=day)
    entries = JournalEntry.objects.count()
    holds = list(Hold.objects.values_list("pk", "released_on"))
    second = arrangements_review(on=day)
    assert first["broken"] == [made.pk]
    assert second == {"on": day.isoformat(), "examined": 0, "kept": [], "broken": []}
    assert JournalEntry.objects.count() == entries
    assert list(Hold.objects.values_list("pk", "released_on")) == holds


def test_paying_every_installment_keeps_the_arrangement(behind, credit):
    made = make(behind, credit)
    payment_post(account=behind, amount=D("290.00"), effective_on=date(2026, 3, 15))
    report = arrangements_review(on=date(2026, 3, 16))
    made.refresh_from_db()
    assert report["kept"] == [made.pk] and made.status == "kept"
    assert Hold.objects.get(source_key=f"arrangement:{made.pk}").released_on == date(2026, 3, 16)
    assert account_balance(behind.pk) == D("0.00")


def test_the_ladder_is_held_then_moves_again_once_broken(behind, credit):
    make(behind, credit)
    collections_run(on=ON + timedelta(days=1))
    assert not behind.collection_events.exists()
    broke_on = ON + timedelta(days=1)
    arrangements_review(on=broke_on)  # the down payment was never paid
    collections_run(on=broke_on + timedelta(days=1))
    # Mesa: a broken arrangement makes the account eligible for disconnection.
    assert behind.collection_events.get().step.action == "eligible"
    collections_run(on=broke_on + timedelta(days=2))
    # No metered service on this account: nothing to disconnect, so it waits.
    assert behind.collection_events.count() == 1


# --- Cancelling ------------------------------------------------------------------------------


def test_only_a_supervisor_cancels_and_the_rest_falls_due(behind, credit, supervisor):
    made = make(behind, credit)
    with pytest.raises(ValidationError, match="Only a supervisor"):
        arrangement_cancel(arrangement=made, reason="customer asked", by=credit, on=ON)
    with pytest.raises(ValidationError, match="Say why"):
        arrangement_cancel(arrangement=made, reason=" ", by=supervisor, on=ON)
    arrangement_cancel(arrangement=made, reason="Paying in full Friday", by=supervisor, on=ON)
    made.refresh_from_db()
    assert made.status == "cancelled" and made.ended_on == ON
    assert Hold.objects.get(source_key=f"arrangement:{made.pk}").released_on == ON
    assert account_aging(behind.pk, as_of=ON).balance == D("290.00")
    assert behind.notes.filter(text__contains="Paying in full Friday").exists()
    with pytest.raises(ValidationError, match="Only an active"):
        arrangement_cancel(arrangement=made, reason="again", by=supervisor, on=ON)
    assert_ledger_sound()


def test_add_months_keeps_the_day_or_the_months_last():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 3, 10), -12) == date(2025, 3, 10)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


# --- The pages ------------------------------------------------------------------------------


@pytest.fixture
def overdue_today():
    """An account $200.00 past due today (the pages make arrangements today)."""
    from django.utils import timezone

    today = timezone.localdate()
    account = AccountFactory()
    bill(account, "200.00", today - timedelta(days=40), today - timedelta(days=19))
    return account


def test_the_page_shows_each_refusal_reason(client_as, overdue_today):
    ProgramEnrolment.objects.create(
        account=overdue_today, program="BUDGET", starts_on=date(2020, 1, 1)
    )
    page = client_as(Role.CREDIT).get(reverse("credit:arrangement", args=[overdue_today.number]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "It is on Budget Billing." in html and "Ask a supervisor to approve" in html
    # No supervisor's name typed on the representative's screen approves anything.
    assert "approved_by" not in html


def test_a_representative_makes_one_from_the_page(client_as, overdue_today, role_users):
    url = reverse("credit:arrangement", args=[overdue_today.number])
    done = client_as(Role.CREDIT).post(url, {"down_payment": "40.00", "months": "4"}, follow=True)
    assert "Arrangement #" in done.content.decode() and "Installment 4" in done.content.decode()
    made = PaymentArrangement.objects.get(account=overdue_today)
    assert made.amount == D("200.00") and made.made_by == role_users[Role.CREDIT]
    assert ArrangementInstallment.objects.filter(arrangement=made).count() == 5


def test_the_page_sends_an_override_to_the_approvals_inbox(client_as, overdue_today, role_users):
    ProgramEnrolment.objects.create(
        account=overdue_today, program="BUDGET", starts_on=date(2020, 1, 1)
    )
    url = reverse("credit:arrangement", args=[overdue_today.number])
    credit = client_as(Role.CREDIT)
    refused = credit.post(url, {"down_payment": "0", "months": "2"})
    assert refused.status_code == 400 and "Say why a supervisor" in refused.content.decode()
    asked = credit.post(
        url, {"down_payment": "0", "months": "2", "override_reason": "Hardship"}, follow=True
    )
    html = asked.content.decode()
    assert "waits for a supervisor" in html and "Waiting for a supervisor" in html
    assert not PaymentArrangement.objects.filter(account=overdue_today).exists()
    request = ArrangementRequest.objects.get(account=overdue_today)
    assert (request.amount, request.months, request.reason) == (D("200.00"), 2, "Hardship")

    supervisor = client_as(Role.SUPERVISOR)
    supervisor.post(
        reverse("staffing:approval_decide", args=["arrangement", request.pk]),
        {"decision": "approve", "reason": "Hospital letter seen"},
    )
    override = PaymentArrangement.objects.get(account=overdue_today, status="active")
    assert override.approved_by == role_users[Role.SUPERVISOR]
    assert override.made_by == role_users[Role.CREDIT]
    assert override.override_reason == "Hardship"
    request.refresh_from_db()
    assert request.status == ArrangementRequest.Status.APPROVED
    assert request.arrangement == override


def test_only_supervisors_cancel_from_the_page(client_as, overdue_today, role_users):
    from django.utils import timezone

    made = make(
        overdue_today, role_users[Role.CREDIT], on=timezone.localdate(), down_payment=D("0")
    )
    url = reverse("credit:arrangement_cancel", args=[made.pk])
    assert client_as(Role.CREDIT).post(url, {"reason": "x"}).status_code == 403
    client_as(Role.SUPERVISOR).post(url, {"reason": "Customer moving"})
    made.refresh_from_db()
    assert made.status == "cancelled"


def test_the_list_filters_and_exports(client_as, behind, credit):
    made = make(behind, credit)
    page = client_as(Role.CREDIT)
    url = reverse("credit:arrangements")
    assert behind.number in page.get(url, {"status": "active"}).content.decode()
    assert behind.number not in page.get(url, {"status": "broken"}).content.decode()
    assert (
        behind.number
        in page.get(url, {"made_from": "2026-03-01", "made_to": "2026-03-31"}).content.decode()
    )
    assert behind.number not in page.get(url, {"made_from": "2026-04-01"}).content.decode()
    export = page.get(url, {"_export": "csv"})
    assert export["Content-Type"].startswith("text/csv")
    assert behind.number in export.content.decode() and str(made.amount) in export.content.decode()


def test_the_account_panel_tag_renders_everything(rf, behind, credit):
    from django.template import Context, Template

    make(behind, credit)
    request = rf.get("/")
    request.user = credit
    html = Template("{% load credit_arrangements %}{% account_arrangements account %}").render(
        Context({"account": behind, "request": request})
    )
    assert "Down payment" in html and "Installment 3" in html
    assert reverse("credit:arrangement", args=[behind.number]) in html
    assert "No pledges." in html and "No calls logged." in html


def test_a_user_without_a_role_is_no_supervisor():
    from credit.services.arrangements import is_supervisor

    assert not is_supervisor(UserFactory())


def test_the_home_tile_opens_the_arrangements_due_this_week(client_as, overdue_today, role_users):
    credit = role_users[Role.CREDIT]
    due = make(overdue_today, credit, on=timezone.localdate(), down_payment=D("25.00"))
    later = AccountFactory()
    past_arrangement(later, credit, made_on=timezone.localdate() - timedelta(days=200))
    PaymentArrangement.objects.filter(account=later).update(status=PaymentArrangement.Status.ACTIVE)
    home = client_as(Role.CREDIT).get(reverse("home")).content.decode()
    assert "installments due in the next 7 days, 1 account<" in home
    start = home.index('data-tile="arrangements-due"')
    link = home[home.index('href="', start) + 6 : home.index('"', home.index('href="', start) + 6)]
    listed = client_as(Role.CREDIT).get(link.replace("&amp;", "&")).content.decode()
    assert due.account.number in listed and later.number not in listed
