import datetime

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


class Command(BaseCommand):
    help = "Create the demo logins (password 'mesa-demo') and demo data. Never for production."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG=0 (a demo server)."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when demo logins already exist (what `make run` uses).",
        )

    def handle(self, *args, force=False, if_empty=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates logins with a published password; refusing with DEBUG=0. "
                "Pass --force only on a demonstration server."
            )
        user_model = get_user_model()
        if if_empty and user_model.objects.filter(username__in=DEMO_USERS).exists():
            self.stdout.write("Demo data already present; nothing to do.")
            return
        with audit_context(command="seed_demo"), transaction.atomic():
            self._users(user_model)
            self._work(user_model)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo logins ready: {', '.join(DEMO_USERS)} (password {DEMO_PASSWORD!r})."
            )
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

    def _work(self, user_model):
        from accounts.models import Account
        from accounts.services import account_create
        from staffing.models import Section, WorkItem
        from staffing.services import work_item_open

        if Account.objects.exists():
            return
        names = [
            ("Maria Delgado", Account.CustomerClass.RESIDENTIAL),
            ("James Whitfield", Account.CustomerClass.RESIDENTIAL),
            ("Desert Sky Laundromat LLC", Account.CustomerClass.COMMERCIAL),
            ("Nora Begay", Account.CustomerClass.RESIDENTIAL),
            ("Main Street Dental PC", Account.CustomerClass.COMMERCIAL),
        ]
        accounts = [account_create(name=n, customer_class=c) for n, c in names]
        today = timezone.localdate()
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
            work_item_open(
                kind=kind,
                section=section,
                title=title,
                account=accounts[account_index] if account_index is not None else None,
                due_on=today + datetime.timedelta(days=due_in),
                priority=WorkItem.Priority.HIGH if due_in < 1 else WorkItem.Priority.NORMAL,
                opened_by=clerk,
                source_key=f"demo:{kind}",
            )
