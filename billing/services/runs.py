"""Bill runs: a run row with progress, its accounts as items that workers
claim in chunks with a conditional UPDATE, and one bill per account and
period whatever happens to the workers."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from datetime import date, timedelta

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from accounts.models import Account, Utility
from billing.models import Bill, BillCycle, BillRun, BillRunItem, BillSegment, CycleDate
from billing.services.bills import bill_issue, bills_compute_chunk, bills_write
from billing.services.rates import ratebook_from_db
from mesa_cs.lib.formatting import day_text
from staffing.models import Section
from staffing.services import work_item_open

logger = logging.getLogger(__name__)


class BillRunError(ValueError):
    pass


def cycle_dates_ensure(year: int) -> None:
    """The yearly schedule of read and bill dates for all 20 cycles."""
    from billing.rules.cycles import bill_date, read_date

    cycles = {c.number: c for c in BillCycle.objects.all()}
    existing = set(CycleDate.objects.filter(year=year).values_list("cycle__number", "month"))
    CycleDate.objects.bulk_create(
        CycleDate(
            cycle=cycles[number],
            year=year,
            month=month,
            read_on=read_date(year, month, number),
            bill_on=bill_date(read_date(year, month, number)),
        )
        for number in cycles
        for month in range(1, 13)
        if (number, month) not in existing
    )


def period_end_for(cycle_number: int, bill_on: date, *, exact: bool = False) -> date:
    """The read date a cycle bills on ``bill_on``. A one-cycle run must be on
    the cycle's scheduled bill date (``exact``); an all-cycles run takes each
    cycle's latest bill date in the same month, on or before ``bill_on``."""
    cycle_dates_ensure(bill_on.year)
    dates = CycleDate.objects.filter(cycle__number=cycle_number)
    if exact:
        dates = dates.filter(bill_on=bill_on)
    else:
        dates = dates.filter(bill_on__lte=bill_on, bill_on__gte=bill_on.replace(day=1))
    read_on = dates.order_by("-read_on").values_list("read_on", flat=True).first()
    if read_on is None:
        scheduled = (
            CycleDate.objects.filter(
                cycle__number=cycle_number, year=bill_on.year, month=bill_on.month
            )
            .values_list("bill_on", flat=True)
            .first()
        )
        hint = f"; its bill date in {bill_on:%B} is {day_text(scheduled)}" if scheduled else ""
        raise BillRunError(
            f"Cycle {cycle_number} has no read date billed on {day_text(bill_on)}{hint}."
        )
    return read_on


@transaction.atomic
def bill_run_start(*, cycle: int | None, bill_on: date, created_by=None) -> BillRun:
    """Create the run and its items. Starting a run that exists returns it and,
    unless it has completed, sets workers on it again (resuming after a crash):
    nobody is billed twice. A bill date after today (America/Phoenix) is refused."""
    today = timezone.localdate()
    if bill_on > today:
        raise BillRunError(
            f"Bill date {day_text(bill_on)} is after today ({day_text(today)}): "
            "a run bills what has been read."
        )
    cycle_row = BillCycle.objects.get(number=cycle) if cycle else None
    if cycle:
        period_end_for(cycle, bill_on, exact=True)  # refuse a date the cycle does not bill on
        cycles = [cycle]
    else:
        # All cycles: those whose bill date this month has come.
        cycles = []
        for number in BillCycle.objects.values_list("number", flat=True):
            try:
                period_end_for(number, bill_on)
            except BillRunError:
                continue
            cycles.append(number)
        if not cycles:
            raise BillRunError(
                f"No cycle has a bill date on or before {day_text(bill_on)} in its month."
            )
    try:
        with transaction.atomic():
            run = BillRun.objects.create(cycle=cycle_row, bill_on=bill_on, created_by=created_by)
    except IntegrityError:
        run = BillRun.objects.get(cycle=cycle_row, bill_on=bill_on)
        if run.status != BillRun.Status.COMPLETED:
            from billing.tasks import bill_run_execute

            bill_run_execute.delay_on_commit(run.pk)
        return run
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO billing_billrunitem (run_id, account_id, status, message)
               SELECT %s, a.id, 'pending', '' FROM accounts_account a
                WHERE a.bill_cycle = ANY(%s) AND a.status IN ('active', 'final')
                  AND EXISTS (SELECT 1 FROM accounts_serviceagreement sa
                               WHERE sa.account_id = a.id
                                 AND sa.status IN ('active', 'disconnected', 'final'))
               ON CONFLICT DO NOTHING""",
            [run.pk, cycles],
        )
        total = cursor.rowcount
    BillRun.objects.filter(pk=run.pk).update(total=total)
    run.total = total
    from billing.tasks import bill_run_execute

    bill_run_execute.delay_on_commit(run.pk)
    return run


def _claim(run_id: int, size: int, worker: str) -> list[tuple[int, int]]:
    """Claim up to ``size`` items for ``worker``: pending ones, or ones whose
    claim went stale (no heartbeat for BILL_RUN_CLAIM_TIMEOUT: their worker died)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """WITH picked AS MATERIALIZED (
                   SELECT id FROM billing_billrunitem
                    WHERE run_id = %s
                      AND (status = 'pending'
                           OR (status = 'claimed' AND claimed_at < now() - make_interval(secs => %s)))
                    ORDER BY id LIMIT %s
                    FOR UPDATE SKIP LOCKED)
               UPDATE billing_billrunitem item
                  SET status = 'claimed', claimed_at = now(), claimed_by = %s
                 FROM picked WHERE item.id = picked.id
            RETURNING item.id, item.account_id""",
            [run_id, settings.BILL_RUN_CLAIM_TIMEOUT, size, worker],
        )
        return cursor.fetchall()


class _ClaimHeartbeat(threading.Thread):
    """Refreshes claimed_at of one worker's claims every BILL_RUN_HEARTBEAT
    seconds while it bills, so a live worker's claims never go stale however
    long a chunk takes, and a dead worker's go stale within
    BILL_RUN_CLAIM_TIMEOUT. Its own thread, so its own database connection."""

    def __init__(self, run_id: int, worker: str):
        super().__init__(name=f"bill-run-{run_id}-heartbeat", daemon=True)
        self.run_id, self.worker = run_id, worker
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(settings.BILL_RUN_HEARTBEAT):
                try:
                    self.beat()
                except DatabaseError:
                    logger.exception("bill run %s: heartbeat failed", self.run_id)
                    connection.close()  # reconnect on the next beat
        finally:
            connection.close()

    def beat(self) -> None:
        # SKIP LOCKED: rows locked are the ones the worker is marking done.
        with connection.cursor() as cursor:
            cursor.execute(
                """UPDATE billing_billrunitem SET claimed_at = now()
                    WHERE id IN (SELECT id FROM billing_billrunitem
                                  WHERE run_id = %s AND status = 'claimed' AND claimed_by = %s
                                    FOR UPDATE SKIP LOCKED)""",
                [self.run_id, self.worker],
            )

    def stop(self) -> None:
        self.stopped.set()
        self.join()


def bill_run_count(run_id: int) -> None:
    """Set the run's progress from its items' statuses, never by adding, so it
    cannot drift or pass the total. Only while the run is open: completing
    sets the final counts, and a worker's older snapshot must not undo them."""
    with connection.cursor() as cursor:
        cursor.execute(
            """UPDATE billing_billrun run
                  SET done = counts.done, billed = counts.billed, exceptions = counts.exceptions
                 FROM (SELECT count(*) FILTER (WHERE status NOT IN ('pending', 'claimed')) AS done,
                              count(*) FILTER (WHERE status = 'billed') AS billed,
                              count(*) FILTER (WHERE status = 'exception') AS exceptions
                         FROM billing_billrunitem WHERE run_id = %s) counts
                WHERE run.id = %s AND run.status IN ('pending', 'running')""",
            [run_id, run_id],
        )


def bill_run_work(
    run_id: int, *, max_chunks: int | None = None, max_seconds: float | None = None
) -> int:
    """Claim and bill chunks until none is left (or ``max_chunks``, or
    ``max_seconds`` have passed); safe to run in several workers at once and
    to run again after a crash."""
    BillRun.objects.filter(pk=run_id, status=BillRun.Status.PENDING).update(
        status=BillRun.Status.RUNNING, started_at=timezone.now()
    )
    run = BillRun.objects.select_related("cycle").get(pk=run_id)
    if run.status != BillRun.Status.RUNNING:
        return 0
    book = ratebook_from_db()
    period_ends: dict[int, date] = {}
    processed, chunks, counted = 0, 0, time.monotonic()
    deadline = None if max_seconds is None else time.monotonic() + max_seconds
    worker = uuid.uuid4().hex
    heartbeat = _ClaimHeartbeat(run_id, worker)
    heartbeat.start()
    try:
        while (max_chunks is None or chunks < max_chunks) and (
            deadline is None or time.monotonic() < deadline
        ):
            claimed = _claim(run_id, settings.BILL_RUN_CHUNK, worker)
            if not claimed:
                # Items another worker holds: wait while its heartbeat goes
                # on, then take them over (its claim goes stale).
                if not BillRunItem.objects.filter(
                    run_id=run_id, status=BillRunItem.Status.CLAIMED
                ).exists():
                    break
                time.sleep(1)
                continue
            chunks += 1
            _bill_chunk(run, claimed, book, period_ends)
            processed += len(claimed)
            # The run page polls every second; counting more often is waste.
            if time.monotonic() - counted >= 1:
                bill_run_count(run_id)
                counted = time.monotonic()
    finally:
        heartbeat.stop()
    bill_run_count(run_id)
    bill_run_finish(run_id)
    return processed


def bill_run_open(run_id: int) -> bool:
    """Whether the run still has items to bill (pending or claimed)."""
    return BillRunItem.objects.filter(
        run_id=run_id,
        run__status__in=[BillRun.Status.PENDING, BillRun.Status.RUNNING],
        status__in=[BillRunItem.Status.PENDING, BillRunItem.Status.CLAIMED],
    ).exists()


def bill_runs_watch() -> list[int]:
    """The watchdog's pass over unfinished runs. Finishes a run whose items
    are all done (its last worker died before it could), and returns the runs
    that need a worker: those with stale claims (a worker died mid-chunk) and
    those with pending items that nobody has claimed for
    BILL_RUN_CLAIM_TIMEOUT (the task was lost with its worker, or never ran).
    A run that a live worker is billing is left alone."""
    stale_before = timezone.now() - timedelta(seconds=settings.BILL_RUN_CLAIM_TIMEOUT)
    needy = []
    runs = BillRun.objects.filter(
        status__in=[BillRun.Status.PENDING, BillRun.Status.RUNNING], created_at__lt=stale_before
    )
    for run in runs:
        items = BillRunItem.objects.filter(run=run).aggregate(
            open=Count(
                "pk", filter=Q(status__in=[BillRunItem.Status.PENDING, BillRunItem.Status.CLAIMED])
            ),
            stale=Count(
                "pk", filter=Q(status=BillRunItem.Status.CLAIMED, claimed_at__lt=stale_before)
            ),
            latest=Max("claimed_at"),
        )
        bill_run_count(run.pk)
        if not items["open"] and run.status == BillRun.Status.RUNNING:
            bill_run_finish(run.pk)
            continue
        working = items["latest"] is not None and items["latest"] >= stale_before
        if (items["stale"] or not working) and _mark_drain_queued(run.pk, stale_before):
            needy.append(run.pk)
    return needy


def _mark_drain_queued(run_id: int, stale_before) -> bool:
    """Whether the watchdog may queue a worker for the run now: not when it
    queued one within BILL_RUN_CLAIM_TIMEOUT (busy workers have not reached
    it yet), so a backlog never fills up with drains of the same run."""
    return bool(
        BillRun.objects.filter(pk=run_id)
        .filter(Q(drain_queued_at__isnull=True) | Q(drain_queued_at__lt=stale_before))
        .update(drain_queued_at=timezone.now())
    )


def _bill_chunk(run: BillRun, claimed, book, period_ends) -> tuple[int, int]:
    """Bill a claimed chunk in a few statements; accounts that cannot be
    billed become exceptions. If any bill turns out to exist already (a run
    started twice, racing), fall back to one account at a time."""
    item_of = {account_id: item_id for item_id, account_id in claimed}
    accounts = Account.objects.in_bulk(list(item_of))
    for account in accounts.values():
        if account.bill_cycle not in period_ends:
            period_ends[account.bill_cycle] = period_end_for(
                account.bill_cycle, run.bill_on, exact=run.cycle_id is not None
            )
    ends = {pk: period_ends[a.bill_cycle] for pk, a in accounts.items()}
    data, drafts, already, failed = bills_compute_chunk(list(accounts.values()), ends, book)
    done = [d.account.pk for d in drafts] + already
    try:
        with transaction.atomic():
            bills_write(drafts, data, run.bill_on, run)
            BillRunItem.objects.filter(pk__in=[item_of[pk] for pk in done]).update(
                status=BillRunItem.Status.BILLED
            )
    except IntegrityError:
        for draft in drafts:
            with transaction.atomic():
                bill_issue(
                    account=draft.account,
                    period_end=draft.period_end,
                    bill_on=run.bill_on,
                    book=book,
                    run=run,
                )
                BillRunItem.objects.filter(pk=item_of[draft.account.pk]).update(
                    status=BillRunItem.Status.BILLED
                )
        BillRunItem.objects.filter(pk__in=[item_of[pk] for pk in already]).update(
            status=BillRunItem.Status.BILLED
        )
    for account_id, reason in failed.items():
        _exception(run, item_of[account_id], accounts[account_id], reason)
    return len(done), len(failed)


@transaction.atomic
def _exception(run: BillRun, item_id: int, account: Account, reason: str) -> None:
    BillRunItem.objects.filter(pk=item_id).update(
        status=BillRunItem.Status.EXCEPTION, message=reason[:300]
    )
    work_item_open(
        kind="bill_run_exception",
        section=Section.ACCOUNT_MAINTENANCE,
        title=f"Not billed in {run}: {reason}"[:200],
        account=account,
        details=reason,
        source_key=f"billrun:{run.pk}:account:{account.pk}",
    )


def bill_run_finish(run_id: int) -> bool:
    """Mark the run completed once no item is pending or claimed."""
    with transaction.atomic():
        open_items = BillRunItem.objects.filter(
            run_id=run_id, status__in=[BillRunItem.Status.PENDING, BillRunItem.Status.CLAIMED]
        ).exists()
        if open_items:
            return False
        counts = BillRunItem.objects.filter(run_id=run_id).aggregate(
            done=Count("pk"),
            billed=Count("pk", filter=Q(status=BillRunItem.Status.BILLED)),
            exceptions=Count("pk", filter=Q(status=BillRunItem.Status.EXCEPTION)),
        )
        finished = BillRun.objects.filter(pk=run_id, status=BillRun.Status.RUNNING).update(
            status=BillRun.Status.COMPLETED, finished_at=timezone.now(), **counts
        )
        if finished:
            from billing.tasks import bill_run_print_file

            bill_run_print_file.delay_on_commit(run_id)
        return bool(finished)


def utility_order(utility: str) -> int:
    """The one order utilities are listed in on run pages, reports and
    bills: as ``accounts.models.Utility`` declares them."""
    values = list(Utility.values)
    return values.index(utility) if utility in values else len(values)


def bill_run_summary(run: BillRun) -> dict:
    """A run's bills and amounts billed, with how many services were billed
    on an estimated read, by utility (in ``utility_order``)."""
    rows = sorted(
        BillSegment.objects.filter(bill__run=run, bill__status=Bill.Status.ISSUED)
        .values("utility")
        .annotate(total=Sum("total"), estimated=Count("pk", filter=Q(estimated=True)))
        .values_list("utility", "total", "estimated"),
        key=lambda row: utility_order(row[0]),
    )
    return {
        "run": run.pk,
        "cycle": run.cycle.number if run.cycle_id else "all",
        "bill_date": run.bill_on.isoformat(),
        "status": run.status,
        "accounts": run.total,
        "bills": run.billed,
        "exceptions": run.exceptions,
        "estimated_bills": Bill.objects.filter(
            run=run, status=Bill.Status.ISSUED, estimated=True
        ).count(),
        "billed_by_utility": {utility: str(total) for utility, total, _ in rows},
        "estimated_by_utility": {utility: n for utility, _, n in rows if n},
        "amount_billed": str(sum((total for _, total, _ in rows), start=0)),
    }
