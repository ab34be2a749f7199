"""The collector's call log. City staff collecting the City's own debts are
not debt collectors under the FDCPA, but Mesa keeps Regulation F as good
practice: calls between 8am and 9pm Phoenix time, no more than 7 attempts in
7 days per account. A call that breaks a rule is refused, naming the rule,
unless the collector gives a reason; the reason is kept with the call."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Account
from credit.models import CollectorCall
from mesa_cs.lib.luhn import reject_card_numbers

# A call logged a little ahead of the server's clock is still "now".
CLOCK_SKEW = timedelta(minutes=5)


class CallRuleBlocked(ValidationError):
    """A call Regulation F good practice advises against; an override reason
    lets it be logged."""


def _clock(value: time) -> str:
    return value.strftime("%I:%M %p").lstrip("0")


def call_rules_broken(account: Account, called_at: datetime) -> list[str]:
    """The rules a call to ``account`` at ``called_at`` would break."""
    broken = []
    zone = ZoneInfo(settings.COLLECTOR_CALL_TIMEZONE)
    local = timezone.localtime(called_at, zone).time().replace(tzinfo=None)
    earliest = time.fromisoformat(settings.COLLECTOR_CALL_EARLIEST)
    latest = time.fromisoformat(settings.COLLECTOR_CALL_LATEST)
    if not earliest <= local <= latest:
        broken.append(
            f"Call hours: {_clock(local)} is outside {_clock(earliest)} to {_clock(latest)} "
            f"({zone.key} time)."
        )
    window = timedelta(days=settings.COLLECTOR_CALL_WINDOW_DAYS)
    made = CollectorCall.objects.filter(
        account=account, called_at__gt=called_at - window, called_at__lte=called_at
    ).count()
    if made >= settings.COLLECTOR_CALL_LIMIT:
        broken.append(
            f"Call attempts: this would be attempt {made + 1} in "
            f"{settings.COLLECTOR_CALL_WINDOW_DAYS} days for this account "
            f"(no more than {settings.COLLECTOR_CALL_LIMIT})."
        )
    return broken


@transaction.atomic
def call_log(
    *,
    account: Account,
    outcome: str,
    notes: str,
    called_by,
    called_at: datetime | None = None,
    override_reason: str = "",
) -> CollectorCall:
    """Record a call attempt. Raises ``CallRuleBlocked`` naming the rule when
    the call is outside call hours or over the attempt limit, unless
    ``override_reason`` says why it was made anyway."""
    if outcome not in CollectorCall.Outcome.values:
        raise ValidationError({"outcome": "Choose how the call went."})
    now = timezone.now()
    called_at = called_at or now
    if called_at > now + CLOCK_SKEW:
        raise ValidationError({"called_at": "A call cannot be logged before it is made."})
    # Two collectors logging calls to one account: count one after the other.
    account = Account.objects.select_for_update().get(pk=account.pk)
    override_reason = override_reason.strip()
    reject_card_numbers(notes=notes, override_reason=override_reason)
    broken = call_rules_broken(account, called_at)
    if broken and not override_reason:
        raise CallRuleBlocked(broken)
    return CollectorCall.objects.create(
        account=account,
        called_at=called_at,
        outcome=outcome,
        notes=notes.strip(),
        override_reason=override_reason[:200] if broken else "",
        called_by=called_by,
    )
