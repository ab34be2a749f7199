import datetime
import time
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from mesa_cs.lib.audit import audit_context
from mesa_cs.lib.roles import Role

DEMO_PASSWORD = "mesa-demo"
DEMO_USERS = {
    "clerk": (Role.CLERK, "Carmen", "Ortiz"),
    "cashier": (Role.CASHIER, "Dale", "Nguyen"),
    "billing": (Role.BILLING, "Beth", "Yazzie"),
    "credit": (Role.CREDIT, "Chris", "Patel"),
    "alarms": (Role.ALARMS, "Alma", "Reyes"),
    "ems": (Role.EMS, "Eli", "Johnson"),
    "supervisor": (Role.SUPERVISOR, "Sandra", "Whitehorse"),
    "admin": (Role.ADMINISTRATOR, "Adrian", "Kim"),
}


def latest_bill_day(as_of):
    """The latest day on or before ``as_of`` on which some cycle is billed."""
    from billing.rules.cycles import CYCLES, bill_date, read_date

    days = []
    for back in (0, 1):
        year, month = divmod(as_of.year * 12 + as_of.month - 1 - back, 12)
        days += [bill_date(read_date(year, month + 1, c)) for c in range(1, CYCLES + 1)]
    return max(day for day in days if day <= as_of)


def _cycle_billed_on(bill_on):
    from billing.rules.cycles import CYCLES, bill_date, read_date

    for back in (0, 1):
        year, month = divmod(bill_on.year * 12 + bill_on.month - 1 - back, 12)
        for cycle in range(1, CYCLES + 1):
            if bill_date(read_date(year, month + 1, cycle)) == bill_on:
                return cycle
    raise CommandError(f"no cycle is billed on {bill_on}")


@contextmanager
def clock_at(day: datetime.date):
    """Services stamp what they write with the clock (a collection run's
    finish, a contact, a login's creation) and refuse days still to come: for
    a city as of another day than today, move the clock to that day's close
    of business while it is built."""
    if day == timezone.localdate():
        yield
        return
    try:
        import time_machine
    except ImportError as exc:
        raise CommandError(
            "--as-of another day than today moves the clock with time-machine: "
            "pip install time-machine (it comes with the dev extra)"
        ) from exc
    close = datetime.datetime.combine(day, datetime.time(17), timezone.get_current_timezone())
    with time_machine.travel(close, tick=True):
        yield


class Command(BaseCommand):
    help = (
        "Create the demo logins (password 'mesa-demo') and a believable Mesa: premises, "
        "customers, services, meters, reads, bills, payments. Never for production."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--accounts", type=int, default=400, help="Demo accounts the city should have."
        )
        parser.add_argument("--months", type=int, default=12, help="Months of history.")
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed (same seed, same city)."
        )
        parser.add_argument(
            "--as-of", type=datetime.date.fromisoformat, default=None, help="Last day of history."
        )
        parser.add_argument(
            "--long-history",
            type=int,
            default=5,
            help="How many accounts get 5 years of history instead of --months.",
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG=0 (a demo server)."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when demo logins already exist (what `make run` uses).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates logins with a published password; refusing with DEBUG=0. "
                "Pass --force only on a demonstration server."
            )
        if options["months"] < 1 or options["accounts"] < 0:
            raise CommandError("--months must be at least 1 and --accounts at least 0")
        user_model = get_user_model()
        if options["if_empty"] and user_model.objects.filter(username__in=DEMO_USERS).exists():
            self.stdout.write("Demo data already present; nothing to do.")
            return
        as_of = options["as_of"] or timezone.localdate()
        # Everything the demo makes is dated on or before as_of.
        with audit_context(command="seed_demo"), clock_at(as_of):
            with transaction.atomic():
                self._users(user_model)  # EMS makes the special rate codes in _city
            created = self._city(options, as_of)
            with transaction.atomic():
                self._work(user_model, as_of)
                self._service_orders(user_model, as_of)
            self._staffing(as_of, options["seed"])
            self._collections(user_model, as_of)
            self._alarms(user_model, as_of)
            self._solidwaste(user_model, as_of)
        if created:
            self._settle()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {created:,} new accounts; logins {', '.join(DEMO_USERS)} "
                f"(password {DEMO_PASSWORD!r})."
            )
        )

    def _city(self, options, as_of) -> int:
        from accounts.models import Account
        from billing.models import RateBookMeta
        from billing.rules.ratebook import shipped_ratebook
        from billing.services.rates import ratebook_load
        from demo.city import CityBuilder

        if not RateBookMeta.objects.exists():
            ratebook_load(shipped_ratebook())  # bills need prices

        # The city's utility accounts: the Alarm Unit's holders have their own.
        existing = Account.objects.exclude(kind=Account.Kind.ALARM).count()
        wanted = options["accounts"]
        if existing >= wanted:
            return 0
        run_day = latest_bill_day(as_of)
        builder = CityBuilder(
            seed=options["seed"],
            months=options["months"],
            as_of=as_of,
            long_history=options["long_history"],
            unbilled_from=run_day,
            stdout=self.stdout if wanted - existing >= 20000 else None,
        )
        started = time.monotonic()
        created = builder.build(existing, wanted)
        self.stdout.write(f"Built {created:,} accounts in {time.monotonic() - started:.0f} s.")
        self._special_codes(run_day)
        self._bill_run(run_day)
        return created

    def _special_codes(self, run_day):
        """EMS's special rate codes, before the last bill run so it bills
        services on them."""
        from demo.special_codes import demo_special_codes

        with transaction.atomic():
            made = demo_special_codes(
                by=get_user_model().objects.get(username="ems"),
                cycle=_cycle_billed_on(run_day),
                today=run_day,
            )
        if made:
            self.stdout.write(
                "Special rate codes: "
                + ", ".join(f"{code} ({n} services)" for code, n in made.items())
                + "."
            )

    def _settle(self):
        from demo.bulk import settle
        from demo.city import TABLES

        started = time.monotonic()
        settle(TABLES)
        self.stdout.write(f"Vacuumed the loaded tables in {time.monotonic() - started:.0f} s.")

    def _bill_run(self, bill_on):
        """The latest cycle's period was left unbilled: bill it with a real run
        (the city recorded the heat content factors it needs)."""
        from billing.models import BillRun
        from billing.services.runs import bill_run_start, bill_run_summary, bill_run_work

        cycle = _cycle_billed_on(bill_on)
        run = bill_run_start(cycle=cycle, bill_on=bill_on)
        bill_run_work(run.pk)
        run = BillRun.objects.get(pk=run.pk)
        summary = bill_run_summary(run)
        self.stdout.write(
            f"Bill run for cycle {cycle} on {bill_on}: {summary['bills']} bills, "
            f"{summary['exceptions']} exceptions, ${summary['amount_billed']} billed."
        )

    def _users(self, user_model):
        for username, (role, first, last) in DEMO_USERS.items():
            user, _ = user_model.objects.get_or_create(username=username)
            user.first_name, user.last_name = first, last
            user.email = f"{username}@demo.mesa-cs.invalid"
            user.is_staff = role is Role.ADMINISTRATOR
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.set([Group.objects.get(name=role.value)])

    def _service_orders(self, user_model, as_of):
        from demo.orders import demo_service_orders

        made = demo_service_orders(clerk=user_model.objects.get(username="clerk"), today=as_of)
        if made:
            self.stdout.write(
                f"Service orders: {len(made)} starts and stops with their field work."
            )

    def _collections(self, user_model, as_of):
        from demo.collections import demo_collections

        report = demo_collections(
            supervisor=user_model.objects.get(username="supervisor"), today=as_of
        )
        if report:
            self.stdout.write(
                f"Collections: {report['accounts_examined']} past due accounts on their ladders."
            )

    def _alarms(self, user_model, as_of):
        from demo.alarms import demo_alarms

        started = time.monotonic()
        with transaction.atomic():  # all of it or none, so a second seed can make it
            report = demo_alarms(
                clerk=user_model.objects.get(username="alarms"),
                supervisor=user_model.objects.get(username="supervisor"),
                today=as_of,
            )
        if report:
            self.stdout.write(
                f"Alarm Unit: {report['permits']} permits from {report['companies']} companies, "
                f"{report['incidents']} calls (${report['assessed']} assessed), "
                f"{report['suspensions']} suspended, appeals "
                + ", ".join(f"{n} {status}" for status, n in report["appeals"].items())
                + f", {report['renewal_notices']} renewal notices, in "
                f"{time.monotonic() - started:.1f} s."
            )

    def _solidwaste(self, user_model, as_of):
        from demo.solidwaste import demo_solidwaste

        started = time.monotonic()
        with transaction.atomic():  # all of it or none, so a second seed can make it
            report = demo_solidwaste(clerk=user_model.objects.get(username="ems"), today=as_of)
        if report:
            self.stdout.write(
                f"Solid Waste: {report['routes']} routes, {report['crew']} crew, "
                f"{report['entries']:,} production entries from {report['files']} monthly files, "
                f"in {time.monotonic() - started:.1f} s."
            )
        from demo.containers import demo_containers

        with transaction.atomic():
            made = demo_containers(clerk=user_model.objects.get(username="ems"), today=as_of)
        if made:
            self.stdout.write(
                f"Solid Waste containers: {made['bins']} front-load bins, "
                f"{made['roll_offs']} roll-offs, {made['tickets']} roll-off tickets."
            )

    def _staffing(self, as_of, seed):
        from demo.staffing import demo_staffing
        from staffing.models import StaffProfile

        if StaffProfile.objects.filter(user__username="sw.young").exists():
            return
        from demo.calls import demo_calls
        from demo.staffing import AGENT_IDS

        with transaction.atomic():  # all of it or none, so a second seed can make it
            made = demo_staffing(today=as_of, seed=seed)
            calls = demo_calls(
                by=get_user_model().objects.get(username="supervisor"),
                today=as_of,
                agent_ids=list(AGENT_IDS.values()),
            )
        self.stdout.write(
            f"Supervision: {made.profiles} staff profiles, {made.open_items} open and "
            f"{made.closed_items} closed work items, {made.complaints} complaints, "
            f"{made.spot_checks} spot checks"
            + (f"; {calls['intervals']:,} phone intervals." if calls else ".")
        )

    def _work(self, user_model, today):
        from accounts.models import Account
        from staffing.models import Section, WorkItem
        from staffing.services import work_item_open

        accounts = list(Account.objects.order_by("pk")[:5])
        clerk = user_model.objects.get(username="clerk")
        samples = [
            ("read_exception", Section.ACCOUNT_MAINTENANCE, "High read on water meter", 0, 3),
            ("bill_run_exception", Section.ACCOUNT_MAINTENANCE, "No rate for service", 2, 1),
            ("suspense_payment", Section.BUSINESS_OFFICE, "Lockbox item without account", None, 2),
            ("dispute", Section.CREDIT, "Customer disputes disconnect fee", 1, -1),
            ("callback", Section.CONTACT_CENTER, "Call back about start-service date", 3, 0),
            ("missed_pickup", Section.SOLID_WASTE, "Missed recycling pick-up", 4, 1),
        ]
        for kind, section, title, account_index, due_in in samples:
            account = None
            if account_index is not None and account_index < len(accounts):
                account = accounts[account_index]
            work_item_open(
                kind=kind,
                section=section,
                title=title,
                account=account,
                due_on=today + datetime.timedelta(days=due_in),
                priority=WorkItem.Priority.HIGH if due_in < 1 else WorkItem.Priority.NORMAL,
                opened_by=clerk,
                source_key=f"demo:{kind}",
            )
