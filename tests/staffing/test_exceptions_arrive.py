"""Every app's exceptions arrive in the queues with a service level (issue
16 item 2). Each kind below is raised by its app's own service, and the
app's tests prove it arrives there:

| Exception | Kind | Proved by |
|---|---|---|
| Read exceptions | read_exception | tests/billing/test_reads.py |
| Bill-run errors | bill_run_exception | tests/billing/test_bill_runs.py |
| Payments in suspense | suspense_payment | tests/cashiering/test_suspense.py |
| Unmatched returns | unmatched_return | tests/cashiering/test_suspense.py |
| Unmatched alarm incidents | alarm_research | tests/alarms/test_feed.py |
| High-bill complaints | complaint (high bill), meter_test | tests/staffing/test_complaints.py |
| Deposit disputes | deposit_dispute | this file |
| Arrangement overrides | arrangement_approval | tests/credit/test_arrangements.py |
| Appeals | alarm_appeal | tests/alarms/test_appeals.py |
| Accounts without a cycle | account_without_cycle | tests/accounts/test_bill_cycle_assignment.py |

This test holds the apps' kinds to the service levels: each kind an app
raises has one, with the queue the app means, so none arrives without a
due date, priority or owner."""

import pytest

from staffing.models import WorkKind

pytestmark = pytest.mark.django_db


def _raised_kinds() -> dict[str, str]:
    """The kind each app's service raises, from the app's own constant, and
    the section it names."""
    from alarms.services import appeals, feed, suspensions
    from billing.services import cycles, settlement
    from cashiering.services import corrections, drawers, suspense
    from credit.services import arrangements, bankruptcy, deposits, write_offs

    return {
        "read_exception": "account_maintenance",
        "bill_run_exception": "account_maintenance",
        "meter_test": "account_maintenance",
        "adjustment_approval": "account_maintenance",
        cycles.WORK_ITEM_KIND: "account_maintenance",
        feed.RESEARCH_KIND: "account_maintenance",
        appeals.APPEAL_KIND: "account_maintenance",
        suspensions.REINSTATEMENT_KIND: "account_maintenance",
        suspense.WORK_KINDS["payment"]: "business_office",
        suspense.WORK_KINDS["return"]: "business_office",
        "refund_approval": "business_office",
        corrections.VOID_APPROVAL: "business_office",
        drawers.SIGN_OFF_APPROVAL: "business_office",
        deposits.DEPOSIT_DISPUTE: "credit",
        arrangements.ARRANGEMENT_APPROVAL: "credit",
        bankruptcy.BANKRUPTCY_CLAIM: "credit",
        write_offs.WRITE_OFF_APPROVAL: "credit",
        settlement.FINAL_BILL_COLLECTION: "credit",
    }


def test_every_kind_an_app_raises_has_a_service_level_for_its_queue():
    levels = {k.kind: k for k in WorkKind.objects.all()}
    for kind, section in _raised_kinds().items():
        assert kind in levels, f"{kind} has no service level"
        assert levels[kind].section == section, kind
        assert levels[kind].due_days >= 0 and levels[kind].priority >= 1


def test_the_kinds_whose_queue_varies_leave_it_to_the_app():
    from billing.services.rate_scenario_approval import WORK_KIND
    from staffing.services import COMPLAINT_WORK

    for kind in (WORK_KIND, COMPLAINT_WORK):
        assert WorkKind.objects.get(kind=kind).section == ""


def test_every_kind_raised_in_the_source_is_known():
    """A new kind in an app's code without a service level fails here."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    literal = re.compile(r'kind="([a-z_]+)",\s*\n\s*section=')
    found = set()
    for app in ("accounts", "billing", "cashiering", "credit", "alarms", "solidwaste", "staffing"):
        for path in (root / app).rglob("*.py"):
            found |= set(literal.findall(path.read_text()))
    known = set(WorkKind.objects.values_list("kind", flat=True))
    assert found, "the pattern found no kind at all"
    assert found <= known, sorted(found - known)


def test_a_deposit_dispute_arrives_with_its_service_level(role_users):
    from decimal import Decimal

    from accounts.models import Deposit
    from credit.services.deposits import deposit_dispute_open
    from mesa_cs.lib.dates import add_working_days, today
    from mesa_cs.lib.roles import Role
    from staffing.services import work_item_next
    from tests.factories import AccountFactory

    deposit = Deposit.objects.create(
        account=AccountFactory(), amount=Decimal("50.00"), reason="No payment history"
    )
    item = deposit_dispute_open(
        deposit=deposit, details="Had service in Gilbert for 6 years", by=role_users[Role.CLERK]
    )
    level = WorkKind.objects.get(kind="deposit_dispute")
    assert (item.section, item.skill, item.priority) == ("credit", level.skill, level.priority)
    assert item.due_on == add_working_days(today(), level.due_days)
    # Pulled as "next" only by someone with the skill it needs.
    assert work_item_next(by=role_users[Role.CREDIT]) is None
    from staffing.models import StaffProfile

    StaffProfile.objects.create(user=role_users[Role.CREDIT], section="credit").skills.set(
        [level.skill]
    )
    assert work_item_next(by=role_users[Role.CREDIT]) == item
