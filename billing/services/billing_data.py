"""Everything pricing a set of accounts' periods reads, fetched in a handful of
queries. The same code prices one account (a clerk's rebill, a test) and a
chunk of a bill run (200 accounts), so both give the same bill."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q

from accounts.models import (
    Account,
    MeterInstallation,
    MeterRead,
    ProgramEnrolment,
    ServiceAgreement,
    Utility,
)
from billing.models import Bill, BillSegment, CycleDate, HeatContentFactor

# How far before a period's start the previous read is looked for in bulk; an
# older one (a long vacancy) is fetched on its own.
READ_WINDOW = timedelta(days=75)


class BillingData:
    def __init__(self, accounts: list[Account], period_ends: dict[int, date]):
        self.accounts = {a.pk: a for a in accounts}
        self.period_ends = period_ends
        ids = list(self.accounts)
        earliest = min(period_ends.values())
        latest = max(period_ends.values())

        self.bills: dict[int, list[tuple]] = defaultdict(list)
        for row in (
            Bill.objects.filter(
                account_id__in=ids, status=Bill.Status.ISSUED, period_end__lte=latest
            )
            .filter(period_end__gte=earliest - timedelta(days=400))
            .order_by("account_id", "-period_end")
            .values_list("account_id", "period_end", "bill_on")
        ):
            self.bills[row[0]].append(row[1:])

        self.cycle_reads: dict[int, list[date]] = defaultdict(list)
        for number, read_on in (
            CycleDate.objects.filter(read_on__lt=latest, read_on__gte=earliest - timedelta(days=70))
            .order_by("-read_on")
            .values_list("cycle__number", "read_on")
        ):
            self.cycle_reads[number].append(read_on)

        self.agreements: dict[int, list[ServiceAgreement]] = defaultdict(list)
        for sa in (
            ServiceAgreement.objects.filter(account_id__in=ids)
            .exclude(
                status__in=[ServiceAgreement.Status.PENDING, ServiceAgreement.Status.CANCELLED]
            )
            .order_by("utility", "pk")
        ):
            self.agreements[sa.account_id].append(sa)

        self.enrolments: dict[int, list[tuple]] = defaultdict(list)
        for row in ProgramEnrolment.objects.filter(account_id__in=ids).values_list(
            "account_id", "program", "starts_on", "ends_on"
        ):
            self.enrolments[row[0]].append(row[1:])

        points = [
            sa.service_point_id
            for sas in self.agreements.values()
            for sa in sas
            if sa.service_point_id
        ]
        self.installations: dict[int, list[MeterInstallation]] = defaultdict(list)
        for inst in (
            MeterInstallation.objects.filter(service_point_id__in=points)
            .select_related("meter")
            .order_by("-installed_on")
        ):
            self.installations[inst.service_point_id].append(inst)

        installation_ids = [i.pk for insts in self.installations.values() for i in insts]
        self.reads: dict[int, list[MeterRead]] = defaultdict(list)
        self.read_floor = earliest - timedelta(days=70) - READ_WINDOW
        for read in (
            MeterRead.objects.filter(
                installation_id__in=installation_ids,
                read_on__gte=self.read_floor,
                read_on__lte=latest,
            )
            .exclude(status=MeterRead.Status.REPLACED)
            .order_by("read_on", "pk")
        ):
            self.reads[read.installation_id].append(read)

        self.heat = list(
            HeatContentFactor.objects.order_by("-month").values_list("month", "factor")
        )

        self.winter: dict[int, list[tuple]] = defaultdict(list)
        for row in (
            BillSegment.objects.filter(
                bill__account_id__in=ids,
                bill__status=Bill.Status.ISSUED,
                utility=Utility.WATER,
                end__gte=date(earliest.year - 2, 12, 1),
            )
            .filter(Q(end__month__in=[12, 1, 2]))
            .values_list("bill__account_id", "end", "usage")
        ):
            self.winter[row[0]].append(row[1:])

    @classmethod
    def for_account(cls, account: Account, period_end: date) -> BillingData:
        return cls([account], {account.pk: period_end})

    # --- lookups ---------------------------------------------------------
    def already_billed(self, account_id: int) -> bool:
        bills = self.bills.get(account_id, [])
        return any(end == self.period_ends[account_id] for end, _ in bills)

    def previous_end(self, account: Account) -> date:
        """The last issued bill's end, else the cycle's previous read date."""
        period_end = self.period_ends[account.pk]
        for end, _ in self.bills.get(account.pk, []):
            if end < period_end:
                return end
        for read_on in self.cycle_reads.get(account.bill_cycle, []):
            if read_on < period_end:
                return read_on
        return period_end - timedelta(days=30)

    def last_bill_on(self, account_id: int) -> date | None:
        period_end = self.period_ends[account_id]
        for end, bill_on in self.bills.get(account_id, []):
            if end < period_end:
                return bill_on
        return None

    def agreements_for(self, account: Account, start: date, end: date) -> list[ServiceAgreement]:
        return [
            sa
            for sa in self.agreements.get(account.pk, [])
            if sa.starts_on <= end and (sa.ends_on is None or sa.ends_on > start)
        ]

    def programs(self, account_id: int, on: date) -> frozenset[str]:
        return frozenset(
            program
            for program, starts, ends in self.enrolments.get(account_id, [])
            if starts <= on and (ends is None or ends >= on)
        )

    def installation(self, service_point_id: int, on: date) -> MeterInstallation | None:
        for inst in self.installations.get(service_point_id, []):
            if inst.installed_on <= on and (inst.removed_on is None or inst.removed_on >= on):
                return inst
        return None

    def reads_for(self, installation: MeterInstallation, start: date) -> list[MeterRead]:
        reads = self.reads.get(installation.pk, [])
        if start - READ_WINDOW < self.read_floor or not any(r.read_on <= start for r in reads):
            # The previous read is older than the bulk window: fetch this one's.
            earlier = (
                MeterRead.objects.filter(installation=installation, read_on__lt=self.read_floor)
                .exclude(status=MeterRead.Status.REPLACED)
                .order_by("-read_on", "-pk")
                .first()
            )
            if earlier is not None:
                return [earlier, *reads]
        return reads

    def heat_factor(self, on: date) -> Decimal | None:
        first = on.replace(day=1)
        for month, factor in self.heat:
            if month <= first:
                return factor
        return None

    def winter_average(self, account_id: int, period_end: date) -> Decimal | None:
        year = period_end.year if period_end.month > 2 else period_end.year - 1
        wanted = {(year - 1, 12), (year, 1), (year, 2)}
        usages = [
            u for end, u in self.winter.get(account_id, []) if (end.year, end.month) in wanted
        ]
        if not usages:
            return None
        return (sum(usages, Decimal(0)) / len(usages)).quantize(Decimal("0.01"))
