"""Special-billing rate codes (issue 15 item 3, docs/special_rate_codes.md):
EMS makes a solid-waste schedule of its own for an HOA contract, a
multi-family complex or a City facility, started from a base schedule's
current version as a draft the rate editor edits and puts in force; then it
puts service agreements on it, and the next bill prices with it through the
same engine."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import ServiceAgreement
from accounts.services.orders import agreement_rate_schedule_set
from billing.models import RateSchedule, RateVersion, SpecialRateCode
from billing.selectors.rates import current_version
from billing.selectors.special_codes import first_in_force, next_service_day
from billing.services.rate_versions import _refuse_unless_editor, draft_copy, refuse_far_ahead
from mesa_cs.lib.formatting import day_text
from mesa_cs.lib.luhn import reject_card_numbers

# A schedule code as bills and GL accounts carry it: 2 to 12 capitals,
# digits, dots and hyphens, starting with a letter (SW-HOA1, SW1.1-CITY).
CODE = re.compile(r"[A-Z][A-Z0-9.\-]{1,11}")


def _check_code(code: str) -> str:
    code = (code or "").strip().upper()
    if not CODE.fullmatch(code):
        raise ValidationError(
            {
                "code": "A code is 2 to 12 letters, digits, dots or hyphens, starting with a "
                "letter, e.g. SW-HOA1."
            }
        )
    if RateSchedule.objects.filter(code__iexact=code).exists():
        raise ValidationError({"code": f"There is already a rate schedule {code}."})
    return code


def _check_effective(base: RateVersion, effective: date | None) -> None:
    if effective is None:
        raise ValidationError({"effective": "Give the first day the code prices service."})
    if effective < base.effective:
        raise ValidationError(
            {
                "effective": f"The code copies {base.schedule.code}'s prices in force from "
                f"{day_text(base.effective)}; it cannot take effect before that."
            }
        )
    refuse_far_ahead(effective)


@transaction.atomic
def special_code_create(
    *,
    code: str,
    name: str,
    based_on: str,
    kind: str,
    reason: str,
    effective: date | None,
    by,
) -> SpecialRateCode:
    """A new solid-waste schedule ``code`` whose first version, dated
    ``effective``, is a draft copy of ``based_on``'s current version."""
    base = RateSchedule.objects.select_for_update(of=("self",)).filter(code=based_on).first()
    if (
        base is None
        or base.utility != "solid_waste"
        or SpecialRateCode.objects.filter(schedule=base).exists()
    ):
        raise ValidationError({"based_on": "Choose the solid-waste schedule the code starts from."})
    _refuse_unless_editor(by, base)
    reason = (reason or "").strip()
    name = (name or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the code is needed (the contract or situation)."})
    if not name:
        raise ValidationError({"name": "Give the code a name bills and lists show."})
    reject_card_numbers(name=name, reason=reason)
    if kind not in SpecialRateCode.Kind.values:
        raise ValidationError({"kind": "Choose the kind of situation."})
    code = _check_code(code)
    version = current_version(base)
    if version is None:
        raise ValidationError({"based_on": f"{base.code} has no version in force to start from."})
    _check_effective(version, effective)
    try:
        with transaction.atomic():
            schedule = RateSchedule.objects.create(
                code=code,
                name=name[:100],
                utility=base.utility,
                customer_class=base.customer_class,
                unit=base.unit,
                default_winter_average=base.default_winter_average,
            )
    except IntegrityError:
        raise ValidationError({"code": f"There is already a rate schedule {code}."}) from None
    special = SpecialRateCode(
        schedule=schedule,
        based_on=base,
        kind=kind,
        reason=reason,
        effective=effective,
        created_by=by,
    )
    special.full_clean()
    special.save()
    draft_copy(schedule=schedule, base=version, effective=effective, by=by)
    return special


@transaction.atomic
def special_code_assign(*, code: str, agreement_id: int, by, back_to_base: bool = False):
    """Put an open solid-waste agreement on the special code (or back on the
    code's base schedule); its next bill prices with it. Refused unless the
    schedule has a version in force on the next day that bill covers, since
    the engine prices every service day."""
    special = (
        SpecialRateCode.objects.select_related("schedule", "based_on")
        .filter(schedule__code=code)
        .first()
    )
    if special is None:
        raise ValidationError(f"There is no special rate code {code}.")
    _refuse_unless_editor(by, special.schedule)
    target = special.based_on if back_to_base else special.schedule
    sa = ServiceAgreement.objects.filter(pk=agreement_id).first()
    if sa is None:
        raise ValidationError({"agreement": "That service agreement no longer exists."})
    if sa.utility != target.utility:
        raise ValidationError(
            {"agreement": f"{target.code} prices solid waste, not {sa.get_utility_display()}."}
        )
    if not back_to_base and sa.rate_schedule != special.based_on.code:
        raise ValidationError(
            {
                "agreement": f"{code} replaces {special.based_on.code}; this service is on "
                f"{sa.rate_schedule}."
            }
        )
    starts = first_in_force(target)
    if starts is None:
        raise ValidationError(
            {"agreement": f"{target.code} is still a draft: put its first version in force first."}
        )
    next_day = next_service_day(sa)
    if starts > next_day:
        raise ValidationError(
            {
                "agreement": f"{target.code} is in force from {day_text(starts)}, but this "
                f"service's next bill starts {day_text(next_day)}; assign it once that bill "
                "is issued."
            }
        )
    return agreement_rate_schedule_set(agreement_id=sa.pk, rate_schedule=target.code)
