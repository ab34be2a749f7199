"""The skills and per-kind service levels the system ships with
(docs/work_items.md, "Service levels"); administrators change them in
Django admin."""

from __future__ import annotations

SKILLS = [
    ("cashiering", "Cashiering"),
    ("billing", "Billing and meter reads"),
    ("credit", "Credit and collections"),
    ("alarms", "Alarm permits"),
    ("solid_waste", "Solid waste"),
    ("spanish", "Spanish"),
    ("complaints", "Complaint handling"),
]

# kind, label, section ("" = as the raising app says), priority, working days, skill
WORK_KINDS = [
    ("read_exception", "Held meter read", "account_maintenance", 2, 2, "billing"),
    ("bill_run_exception", "Bill-run error", "account_maintenance", 3, 1, "billing"),
    (
        "account_without_cycle",
        "Account without a bill cycle",
        "account_maintenance",
        3,
        2,
        "billing",
    ),
    ("meter_test", "Meter test (high bill)", "account_maintenance", 2, 5, "billing"),
    ("adjustment_approval", "Adjustment to approve", "account_maintenance", 3, 2, None),
    ("rate_scenario_approval", "Rate scenario to approve", "", 3, 5, None),
    ("alarm_research", "Alarm incident to research", "account_maintenance", 2, 3, "alarms"),
    ("alarm_appeal", "Alarm appeal", "account_maintenance", 3, 10, "alarms"),
    ("alarm_reinstatement", "Suspended alarm permit", "account_maintenance", 2, 5, "alarms"),
    ("refund_approval", "Refund to approve", "business_office", 3, 2, None),
    ("void_approval", "Payment void to approve", "business_office", 4, 1, None),
    ("drawer_sign_off", "Drawer over/short sign-off", "business_office", 3, 1, None),
    ("suspense_payment", "Payment in suspense", "business_office", 3, 1, "cashiering"),
    (
        "unmatched_return",
        "Returned payment matching no payment",
        "business_office",
        3,
        1,
        "cashiering",
    ),
    ("write_off_approval", "Write-off to approve", "credit", 2, 5, None),
    ("arrangement_approval", "Arrangement override to approve", "credit", 3, 1, None),
    ("deposit_dispute", "Deposit dispute", "credit", 2, 5, "credit"),
    ("dispute", "Disputed charge", "credit", 2, 5, "credit"),
    ("bankruptcy_claim", "Bankruptcy claim", "credit", 3, 5, "credit"),
    ("final_bill_collection", "Final bill to collect", "credit", 2, 10, "credit"),
    ("callback", "Callback to a customer", "contact_center", 2, 1, None),
    ("complaint", "Customer complaint", "", 3, 2, None),
    ("missed_pickup", "Missed pickup", "solid_waste", 3, 1, "solid_waste"),
]


# Kinds whose item closes only with its record, on the record's page
# (docs/work_items.md); the record's URL is ``staffing:<kind>``.
CLOSED_WITH_THEIR_RECORD = frozenset({"complaint"})

# The checklists a supervisor scores a spot check on (docs/spot_checks.md).
CHECKLISTS = {
    "work_item": [
        "Worked within its service level",
        "The outcome says what was done and why",
        "The account's notes and contacts record it",
        "The customer was told the result where one was owed",
        "City policy and procedure were followed",
    ],
    "payment": [
        "Applied to the right account",
        "The amount matches the tender",
        "The tender and check number are recorded",
        "Receipt given or sent",
    ],
    "letter": [
        "The right template for the situation",
        "Addressed to the right person and address",
        "Clear, courteous and correct wording",
        "No personal data beyond what is needed",
    ],
}


def service_levels_seed(**kwargs):
    """The shipped skills and service levels, where missing (post_migrate,
    so a flushed test database has them too); an administrator's changes
    are kept."""
    from staffing.models import Skill, SpotCheckQuestion, WorkKind

    for subject, questions in CHECKLISTS.items():
        for position, text in enumerate(questions, start=1):
            SpotCheckQuestion.objects.get_or_create(
                subject=subject, text=text, defaults={"position": position}
            )

    skills = {}
    for code, name in SKILLS:
        skills[code], _ = Skill.objects.get_or_create(code=code, defaults={"name": name})
    for kind, label, section, priority, days, skill in WORK_KINDS:
        WorkKind.objects.get_or_create(
            kind=kind,
            defaults={
                "label": label,
                "section": section,
                "priority": priority,
                "due_days": days,
                "skill": skills.get(skill),
            },
        )
