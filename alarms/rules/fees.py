"""The Alarm Ordinance's money and dates (Mesa City Code 6-15), as pure
functions the permit, dispatch-feed and appeal services share. Sources and
house rules: docs/alarms.md."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

PERMIT_FEE_PER_FUNCTION = Decimal("10.00")
NO_PERMIT_FEE = Decimal("100.00")  # cannot be waived on appeal
FUNCTIONS = ("burglary", "panic", "robbery")

BURGLARY = "burglary"
PANIC_ROBBERY = "panic_robbery"  # counted together, apart from burglary

# The n-th false alarm in the window costs LADDER[class][n - 1]; past the
# end of the list, its last step.
LADDER = {
    BURGLARY: tuple(Decimal(amount) for amount in ("50", "100", "150", "200", "250", "300", "400")),
    PANIC_ROBBERY: tuple(Decimal(amount) for amount in ("0", "100", "200")),
}

WINDOW_DAYS = 365  # the counting window ends on (and includes) the incident date
SUSPEND_AT_BURGLARY = 10  # the 10th burglary false alarm in the window suspends
SUSPEND_PAST_DUE_DAYS = 90  # fees more than this many days past due suspend
RENEWAL_NOTICE_DAYS = 60  # before expiry
APPEAL_BUSINESS_DAYS = 10  # after the invoice
HEARING_WITHIN_DAYS = 30  # after the appeal is filed


def alarm_class(alarm_type: str) -> str:
    """Burglary alarms are counted apart from panic and robbery alarms."""
    if alarm_type == "burglary":
        return BURGLARY
    if alarm_type in ("panic", "robbery"):
        return PANIC_ROBBERY
    raise ValueError(f"No such alarm type: {alarm_type!r}.")


def is_false_alarm(alarm_type: str, disposition: str) -> bool:
    """A false alarm counts and is charged; a valid one never is. A burglary
    alarm the company cancelled (two-call verification) is no false alarm;
    panic and robbery alarms cannot be cancelled, so a cancelled one counts."""
    alarm_class(alarm_type)  # refuse an unknown type
    if disposition == "false":
        return True
    if disposition == "valid":
        return False
    if disposition == "cancelled":
        return alarm_type != "burglary"
    raise ValueError(f"No such disposition: {disposition!r}.")


def false_alarm_fee(klass: str, count_in_window: int) -> Decimal:
    """The fee for the ``count_in_window``-th false alarm of its class in the
    365 days ending on its date (the first is 1)."""
    if count_in_window < 1:
        raise ValueError("The count in the window starts at 1.")
    ladder = LADDER[klass]
    return ladder[min(count_in_window, len(ladder)) - 1]


def window_start(incident_on: date) -> date:
    """The first day of the 365-day window ending on ``incident_on``."""
    return incident_on - timedelta(days=WINDOW_DAYS - 1)


def permit_fee(functions) -> Decimal:
    """$10.00 for each alarm function on the permit."""
    chosen = set(functions)
    unknown = chosen - set(FUNCTIONS)
    if unknown or not chosen:
        raise ValueError("A permit covers one or more of burglary, panic and robbery.")
    return PERMIT_FEE_PER_FUNCTION * len(chosen)


def renewal_notice_on(expires_on: date) -> date:
    return expires_on - timedelta(days=RENEWAL_NOTICE_DAYS)


def appeal_deadline(invoiced_on: date) -> date:
    """The last day to appeal: the 10th business day (Monday to Friday) after
    the invoice."""
    day, left = invoiced_on, APPEAL_BUSINESS_DAYS
    while left:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


def hearing_by(filed_on: date) -> date:
    return filed_on + timedelta(days=HEARING_WITHIN_DAYS)


def term_ends_on(starts_on: date) -> date:
    """The last day of a yearly term: the day before its first anniversary
    (a term from February 29 ends on February 28)."""
    try:
        anniversary = starts_on.replace(year=starts_on.year + 1)
    except ValueError:  # February 29
        anniversary = date(starts_on.year + 1, 3, 1)
    return anniversary - timedelta(days=1)


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st: how a notice counts false alarms."""
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{({1: 'st', 2: 'nd', 3: 'rd'}).get(n % 10, 'th')}"
