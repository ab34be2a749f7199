"""Rate modelling's reads (docs/rate_modelling.md): the year of billing as
distinct determinants (one GROUP BY over the summary the bills keep), the
active service counts, each schedule's typical customer, and the saved
scenarios."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection

from accounts.models import ServiceAgreement
from billing.models import RateScenario, RateVersion
from billing.rules.rate_model import Determinant
from billing.rules.ratebook import Schedule

# The year of billing from the summary the bills keep (BilledDeterminant):
# a few hundred thousand rows a year at 200,000 accounts, where the GROUP BY
# of the segments themselves (8 million, joined to their bills and
# agreements) took 25 s. Only a schedule priced by meter size keeps the size.
_DETERMINANTS = """
SELECT d.rate_schedule, EXTRACT(MONTH FROM d."end")::int, d.days, d.usage, d.quantity,
       NULLIF(d.service_code, ''),
       CASE WHEN d.rate_schedule = ANY(%s) THEN NULLIF(d.meter_size, '') END,
       d.acres, SUM(d.segments)::bigint
FROM billing_billeddeterminant d
WHERE d.rate_schedule = ANY(%s) AND d."end" BETWEEN %s AND %s
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
HAVING SUM(d.segments) > 0
ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
"""


def year_of_billing(day: date) -> tuple[date, date]:
    """The year modelled: bill periods ending in the 365 days up to ``day``."""
    return day - timedelta(days=364), day


def _by_meter_size(schedule: Schedule) -> bool:
    return any(c.by_meter_size for v in schedule.versions for c in v.components)


def determinants(
    schedules: list[Schedule], start: date, end: date
) -> dict[str, list[tuple[Determinant, int]]]:
    """Each schedule's distinct determinants in the year, each with the
    number of issued bill segments that had it: one read of the summary."""
    found: dict[str, list[tuple[Determinant, int]]] = {s.code: [] for s in schedules}
    if not schedules:
        return found
    by_size = [s.code for s in schedules if _by_meter_size(s)]
    with connection.cursor() as cursor:
        cursor.execute(_DETERMINANTS, [by_size, list(found), start, end])
        rows = cursor.fetchall()
    for code, month, days, usage, quantity, service, meter, acres, count in rows:
        determinant = Determinant(code, month, days, usage, quantity, service, meter, acres)
        found[code].append((determinant, count))
    return found


def active_counts(codes: list[str]) -> dict[str, dict]:
    """Active services per schedule: how many, and how many containers."""
    counts = {code: {"services": 0, "containers": 0} for code in codes}
    rows = (
        ServiceAgreement.objects.filter(
            rate_schedule__in=codes, status=ServiceAgreement.Status.ACTIVE
        )
        .values_list("rate_schedule", "containers")
        .order_by()
    )
    for code, containers in rows:
        counts[code]["services"] += 1
        counts[code]["containers"] += containers or 1
    return counts


def typical(schedule: Schedule, rows: list[tuple[Determinant, int]]) -> Determinant:
    """A typical customer of the schedule: the median usage of its whole-month
    segments and its most common containers, service code and meter size; a
    schedule nobody was billed on is one container (or the smallest size or
    code) with no usage."""
    monthly = [(d, n) for d, n in rows if 25 <= d.days <= 35] or rows
    if not monthly:
        return _no_history_typical(schedule)
    usages = sorted((d.usage, n) for d, n in monthly)
    half, seen, median = sum(n for _, n in usages) / 2, 0, Decimal(0)
    for usage, n in usages:
        seen += n
        if seen >= half:
            median = usage
            break
    common = Counter()
    for d, n in monthly:
        common[(d.quantity, d.service, d.meter_size, d.acres)] += n
    quantity, service, meter, acres = common.most_common(1)[0][0]
    return Determinant(schedule.code, 1, 30, median, quantity, service, meter, acres)


def _no_history_typical(schedule: Schedule) -> Determinant:
    components = schedule.versions[-1].components if schedule.versions else ()
    service = meter = None
    for c in components:
        if c.by_service and service is None:
            service = next(iter(c.by_service))
        if c.by_meter_size and meter is None:
            meter = next(iter(c.by_meter_size))
    acres = Decimal(1) if any(c.basis == "acres" for c in components) else None
    return Determinant(schedule.code, 1, 30, Decimal(0), 1, service, meter, acres)


def scenarios_list():
    return RateScenario.objects.select_related(
        "created_by", "requested_by", "decided_by"
    ).prefetch_related("changes")


def scenario_by_pk(pk: int) -> RateScenario | None:
    return scenarios_list().filter(pk=pk).first()


def scenarios_by_pks(pks: list[int]) -> list[RateScenario]:
    found = {s.pk: s for s in scenarios_list().filter(pk__in=pks)}
    return [found[pk] for pk in pks if pk in found]


def scenarios_waiting():
    """Scenarios waiting for a supervisor's approval, oldest request first."""
    return (
        RateScenario.objects.filter(status=RateScenario.Status.REQUESTED)
        .select_related("requested_by")
        .order_by("requested_at", "pk")
    )


def scenario_versions(scenario: RateScenario) -> list[RateVersion]:
    """The rate versions applying the scenario created."""
    return list(scenario.versions.select_related("schedule").order_by("schedule__code"))
