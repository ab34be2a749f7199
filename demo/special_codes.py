"""The demo's special-billing rate codes (issue 15 items 3 and 9): an HOA
contract, a multi-family complex and a City facility, each made, priced and
put in force through the product's own services as EMS would
(``special_code_create``, ``rate_version_save``,
``rate_version_put_in_force``), with services put on them by
``special_code_assign``. It runs before the city's last bill run, and the
services are taken from the cycle that run bills first, so that run prices
them on their codes: bills on special codes, issued by the product.

A constant amount of work (a few dozen services), whatever the city's size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class DemoCode:
    code: str
    name: str
    based_on: str
    kind: str
    reason: str
    factor: Decimal  # the code's prices as a share of its base's (demo figures)
    services: int  # at most; and at most a quarter of the base's services


CODES = (
    DemoCode(
        "SW-HOA1",
        "Desert Vista HOA contract, 90-gal barrel",
        "SW1.1",
        "hoa",
        "HOA contract: the association's homes set barrels out at a common point, "
        "one collection stop per block",
        Decimal("0.90"),
        12,
    ),
    DemoCode(
        "SW-MF1",
        "Alma School Apartments, front-load bins",
        "SW3.1",
        "multi_family",
        "Multi-family complex: bins in one enclosure served by one stop",
        Decimal("0.92"),
        2,
    ),
    DemoCode(
        "SW-CITY1",
        "City facility, front-load bins",
        "SW3.1",
        "city",
        "City facility: Fire Station and Parks yard bins billed at the cost of service",
        Decimal("0.80"),
        2,
    ),
)
BASES = {demo.based_on for demo in CODES}
CENT = Decimal("0.01")


def _scaled(spec: dict, factor: Decimal) -> dict:
    """A component's spec with its prices times ``factor`` (to the cent)."""

    def price(text: str) -> str:
        return str((Decimal(text) * factor).quantize(CENT, rounding=ROUND_HALF_UP))

    spec = dict(spec)
    for field in ("amount", "price"):
        if field in spec:
            spec[field] = price(spec[field])
    if "by_service" in spec:
        spec["by_service"] = {code: price(p) for code, p in spec["by_service"].items()}
    return spec


def demo_special_codes(*, by, cycle: int | None, today: date) -> dict | None:
    """The three codes with their services; None when codes already exist
    (or the rate book has no solid-waste version in force to start from)."""
    from django.db.models import Case, IntegerField, Value, When

    from accounts.models import ServiceAgreement
    from billing.models import RateSchedule, SpecialRateCode
    from billing.selectors.rates import current_version
    from billing.services.rate_versions import rate_version_put_in_force, rate_version_save
    from billing.services.special_codes import special_code_assign, special_code_create

    if SpecialRateCode.objects.exists():
        return None
    bases = {s.code: current_version(s) for s in RateSchedule.objects.filter(code__in=BASES)}
    if len(bases) < len(BASES) or any(v is None or v.effective > today for v in bases.values()):
        return None
    made = {}
    for demo in CODES:
        version = bases[demo.based_on]
        special = special_code_create(
            code=demo.code,
            name=demo.name,
            based_on=demo.based_on,
            kind=demo.kind,
            reason=demo.reason,
            effective=version.effective,
            by=by,
        )
        draft = special.schedule.versions.get()
        specs = [_scaled(c.spec, demo.factor) for c in draft.components.order_by("position")]
        rate_version_save(version_id=draft.pk, components=specs, by=by)
        rate_version_put_in_force(version_id=draft.pk, by=by)
        # The services the next bill run bills first, then the rest, oldest first;
        # most of the base's services stay on it.
        on_base = ServiceAgreement.objects.filter(
            utility="solid_waste",
            rate_schedule=demo.based_on,
            status__in=ServiceAgreement.OPEN_STATUSES,
            starts_on__lte=today,
        )
        wanted = min(demo.services, max(1, on_base.count() // 4))
        candidates = list(
            on_base.annotate(
                first=Case(
                    When(account__bill_cycle=cycle, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
            .order_by("first", "pk")
            .values_list("pk", flat=True)[:wanted]
        )
        for agreement_id in candidates:
            special_code_assign(code=demo.code, agreement_id=agreement_id, by=by)
        made[demo.code] = len(candidates)
    return made
