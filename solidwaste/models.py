"""Solid-waste route production: the routes, trucks and crew (equipment
operators and their foremen), what each crew did on a route each day, the
files those days were imported from, and the cost figure the financial
report divides by tons and lifts. docs/solid_waste_production.md has the
rules; revenue is read from the bills and the ledger, never kept here.

Container services and one-time orders (docs/solid_waste_services.md): the
containers at each premise with their delivery and removal dates, and the
extra, bulk, landfill and roll-off orders, each priced, charged to the
account and dispatched to a route."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import Account, JournalEntry, Premise, ServiceAgreement, ServiceArea
from mesa_cs.lib.audit import audited
from mesa_cs.lib.luhn import validate_no_card_number

USER = settings.AUTH_USER_MODEL
CODE = RegexValidator(
    r"^[A-Z0-9][A-Z0-9-]{0,11}$", "Capital letters, digits and hyphens, up to 12."
)
EMPLOYEE_NUMBER = RegexValidator(r"^[0-9]{4,8}$", "4 to 8 digits.")


class ServiceLine(models.TextChoices):
    """What a route collects (the production side of a service line)."""

    RESIDENTIAL = "residential", "Residential refuse"
    RECYCLING = "recycling", "Residential recycling"
    GREEN = "green", "Green waste"
    COMMERCIAL = "commercial", "Commercial front-load"
    ROLL_OFF = "roll_off", "Roll-off"


@audited()
class Truck(models.Model):
    class Kind(models.TextChoices):
        SIDE_LOAD = "side_load", "Automated side-loader"
        FRONT_LOAD = "front_load", "Front-loader"
        REAR_LOAD = "rear_load", "Rear-loader"
        ROLL_OFF = "roll_off", "Roll-off truck"

    number = models.CharField(max_length=12, unique=True, validators=[CODE])
    kind = models.CharField(max_length=12, choices=Kind, default=Kind.SIDE_LOAD)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return self.number


@audited()
class CrewMember(models.Model):
    """An equipment operator or a foreman, by the payroll's employee number."""

    class Position(models.TextChoices):
        OPERATOR = "operator", "Equipment operator"
        FOREMAN = "foreman", "Foreman"

    employee_number = models.CharField(max_length=8, unique=True, validators=[EMPLOYEE_NUMBER])
    name = models.CharField(max_length=120, validators=[validate_no_card_number])
    position = models.CharField(max_length=8, choices=Position, default=Position.OPERATOR)
    foreman = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="crew",
        limit_choices_to={"position": "foreman"},
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "employee_number"]

    def __str__(self):
        return f"{self.name} ({self.employee_number})"


@audited()
class Route(models.Model):
    code = models.CharField(max_length=12, unique=True, validators=[CODE])
    name = models.CharField(max_length=120, validators=[validate_no_card_number])
    service_line = models.CharField(max_length=12, choices=ServiceLine)
    service_area = models.CharField(max_length=12, choices=ServiceArea)
    foreman = models.ForeignKey(
        CrewMember,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="routes",
        limit_choices_to={"position": "foreman"},
    )
    daily_lift_target = models.PositiveIntegerField(
        default=1000,
        validators=[MinValueValidator(1), MaxValueValidator(5000)],
        help_text="Lifts expected of one operator in a full day on this route "
        "(about 1,000 for an automated residential route)",
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class ProductionFile(models.Model):
    """A route production file given to the import, kept whatever became of it."""

    filename = models.CharField(max_length=200)
    content = models.TextField()
    sha256 = models.CharField(max_length=64)
    summary = models.JSONField(default=dict)
    uploaded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return self.filename


# Entries arrive by the month from the crew sheets: an imported entry's
# creation is kept with its file, later changes in the audit trail.
@audited(inserts=False)
class ProductionEntry(models.Model):
    """What one operator did on one route on one day, from the crew sheet."""

    work_on = models.DateField("work date")
    route = models.ForeignKey(Route, on_delete=models.PROTECT, related_name="entries")
    truck = models.ForeignKey(Truck, on_delete=models.PROTECT, related_name="entries")
    operator = models.ForeignKey(CrewMember, on_delete=models.PROTECT, related_name="entries")
    lifts = models.PositiveIntegerField()
    stops = models.PositiveIntegerField()
    tons = models.DecimalField(max_digits=6, decimal_places=2)
    hours = models.DecimalField(max_digits=4, decimal_places=2)
    misses = models.PositiveIntegerField(default=0, help_text="Missed pickups reported")
    overtime_hours = models.DecimalField(
        "overtime on the crew sheet",
        max_digits=4,
        decimal_places=2,
        default=0,
        help_text="As the foreman wrote it; payroll pays by the rule (8 a day, 40 a week)",
    )
    file = models.ForeignKey(
        ProductionFile, null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    entered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT)
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "production entries"
        ordering = ["-work_on", "route__code", "operator__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["work_on", "route", "operator"],
                name="production_one_per_operator_route_day",
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24), name="production_hours_in_a_day"
            ),
            models.CheckConstraint(
                condition=Q(overtime_hours__gte=0) & Q(overtime_hours__lte=F("hours")),
                name="production_overtime_within_hours",
            ),
            models.CheckConstraint(condition=Q(tons__gte=0), name="production_tons_not_negative"),
        ]
        indexes = [models.Index(fields=["work_on", "route"], name="production_day_route_idx")]

    def __str__(self):
        return f"{self.work_on} {self.route_id} {self.operator_id}"


@audited()
class CostRate(models.Model):
    """The loaded cost of one route hour from a day on (Administrators keep it
    in Django admin): crew wages with their overtime averaged in, benefits,
    the truck, fuel, maintenance and landfill disposal. Cost per ton and per
    lift are hours x this rate over tons and lifts."""

    effective_on = models.DateField(unique=True)
    cost_per_hour = models.DecimalField(
        max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )
    note = models.CharField(max_length=200, blank=True, validators=[validate_no_card_number])

    class Meta:
        ordering = ["-effective_on"]

    def __str__(self):
        return f"{self.cost_per_hour} an hour from {self.effective_on}"


class ContainerKind(models.TextChoices):
    BLACK_90 = "black_90", "Black barrel, 90 gallons"
    BLACK_60 = "black_60", "Black barrel, 60 gallons"
    BLUE = "blue", "Blue recycling barrel"
    GREEN = "green", "Green (yard waste) barrel, 90 gallons"
    FRONT_LOAD = "front_load", "Commercial front-load bin"
    ROLL_OFF = "roll_off", "Roll-off container"


class RollOffSize(models.TextChoices):
    YD20 = "20yd", "20 cubic yards"
    YD30 = "30yd", "30 cubic yards"
    YD40 = "40yd", "40 cubic yards"


@audited()
class Container(models.Model):
    """One container's time at a premise, on the service that bills it: the
    delivery and removal history, like a meter's installations."""

    premise = models.ForeignKey(Premise, on_delete=models.PROTECT, related_name="sw_containers")
    agreement = models.ForeignKey(
        ServiceAgreement, on_delete=models.PROTECT, related_name="sw_containers"
    )
    kind = models.CharField(max_length=12, choices=ContainerKind)
    service_code = models.CharField(
        max_length=10, blank=True, help_text="Front-load bins: size and pickups a week, e.g. 4yd:2"
    )
    size = models.CharField(max_length=5, choices=RollOffSize, blank=True)
    tag = models.CharField(
        "container tag",
        max_length=20,
        blank=True,
        validators=[validate_no_card_number],
        help_text="The number on the container, when it has one",
    )
    delivered_on = models.DateField()
    removed_on = models.DateField(null=True, blank=True)
    removal_reason = models.CharField(
        max_length=200, blank=True, validators=[validate_no_card_number]
    )
    delivered_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-delivered_on", "-pk"]
        indexes = [models.Index(fields=["premise", "removed_on"], name="container_premise_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(removed_on__isnull=True) | Q(removed_on__gte=F("delivered_on")),
                name="container_removed_after_delivery",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} at {self.premise}"

    @property
    def is_current(self) -> bool:
        return self.removed_on is None


class OrderKind(models.TextChoices):
    EXTRA_PICKUP = "extra_pickup", "Extra pickup"
    BULK_PICKUP = "bulk_pickup", "Bulk pickup"
    LANDFILL = "landfill", "Landfill use program"
    ROLL_OFF = "roll_off", "Roll-off ticket"


@audited()
class Order(models.Model):
    """A one-time order: priced when booked, charged to the account (the
    next bill shows it under other charges) and dispatched to a route; then
    completed by the route, or cancelled (its charge reversed) before a bill
    has shown it."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    kind = models.CharField(max_length=12, choices=OrderKind)
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="sw_orders")
    premise = models.ForeignKey(Premise, on_delete=models.PROTECT, related_name="sw_orders")
    agreement = models.ForeignKey(
        ServiceAgreement, on_delete=models.PROTECT, related_name="sw_orders"
    )
    route = models.ForeignKey(Route, on_delete=models.PROTECT, related_name="orders")
    scheduled_on = models.DateField("pickup date")
    loads = models.PositiveSmallIntegerField(
        default=1, help_text="Bulk loads, or containers for an extra pickup"
    )
    pounds = models.PositiveIntegerField(null=True, blank=True, help_text="Landfill use program")
    roll_off_size = models.CharField(max_length=5, choices=RollOffSize, blank=True)
    delivery = models.BooleanField(default=False, help_text="Roll-off: deliver the container")
    pull = models.BooleanField(default=False, help_text="Roll-off: pull (haul) the container")
    tons = models.DecimalField(
        max_digits=6, decimal_places=2, null=True, blank=True, help_text="Roll-off disposal"
    )
    rental_days = models.PositiveSmallIntegerField(null=True, blank=True)
    amount = models.DecimalField(max_digits=9, decimal_places=2)
    lines = models.JSONField(default=list, help_text="The priced lines: description and amount")
    entry = models.OneToOneField(
        JournalEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="sw_order"
    )
    notes = models.CharField(max_length=300, blank=True, validators=[validate_no_card_number])
    ordered_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ordered_at = models.DateTimeField(default=timezone.now)
    completed_on = models.DateField("done on", null=True, blank=True)
    cancel_reason = models.CharField(
        "reason for cancelling", max_length=300, blank=True, validators=[validate_no_card_number]
    )
    reversal = models.OneToOneField(
        JournalEntry,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sw_order_cancelled",
        help_text="The reversal of the order's charge when it was cancelled",
    )
    closed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-scheduled_on", "-pk"]
        indexes = [
            models.Index(fields=["route", "scheduled_on"], name="order_route_day_idx"),
            models.Index(fields=["account", "kind"], name="order_account_kind_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="order_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(tons__isnull=True) | Q(tons__gte=0), name="order_tons_not_negative"
            ),
            # A completed order has its day; a cancelled one its reason; an open one neither.
            models.CheckConstraint(
                condition=(
                    Q(status="open", completed_on__isnull=True, cancel_reason="")
                    | Q(status="completed", completed_on__isnull=False, cancel_reason="")
                    | (Q(status="cancelled", completed_on__isnull=True) & ~Q(cancel_reason=""))
                ),
                name="order_status_consistent",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.scheduled_on} at {self.premise}"
