"""Rate modelling's reads (docs/rate_modelling.md): the year of billing as
distinct determinants (one GROUP BY over the issued bills' segments), the
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

# Only a schedule priced by meter size needs the meter size; it is the size of
# the service point's latest meter (one hash join, where a look-up of the
# meter in place on each segment's end cost 30 s a year at 200,000 accounts),
# and it is left out of every other schedule's query.
_SEGMENTS = """
SELECT s.rate_schedule, EXTRACT(MONTH FROM s."end")::int, (s."end" - s.start), s.usage,
       COALESCE(sa.containers, 1), NULLIF(sa.service_code, ''), {meter}, sa.acres, COUNT(*)
FROM billing_billsegment s
JOIN billing_bill b ON b.id = s.bill_id
JOIN accounts_serviceagreement sa ON sa.id = s.service_agreement_id
{meter_join}
WHERE s.rate_schedule = ANY(%s) AND b.status = 'issued' AND s."end" BETWEEN %s AND %s
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
"""
_METER_JOIN = """
LEFT JOIN (
    SELECT DISTINCT ON (i.service_point_id) i.service_point_id, m.size
    FROM accounts_meterinstallation i JOIN accounts_meter m ON m.id = i.meter_id
    ORDER BY i.service_point_id, i.installed_on DESC
) meter ON meter.service_point_id = sa.service_point_id
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
    number of issued bill segments that had it: one scan of the segments for
    the schedules priced by meter size, one for the rest."""
    found: dict[str, list[tuple[Determinant, int]]] = {s.code: [] for s in schedules}
    for metered in (True, False):
        codes = [s.code for s in schedules if _by_meter_size(s) == metered]
        if not codes:
            continue
        sql = _SEGMENTS.format(
            meter="NULLIF(meter.size, '')" if metered else "NULL::text",
            meter_join=_METER_JOIN if metered else "",
        )
        with connection.cursor() as cursor:
            # The GROUP BY's hash table holds tens of thousands of groups.
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute(sql, [codes, start, end])
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
