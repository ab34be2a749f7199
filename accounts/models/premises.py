from decimal import Decimal

from django.contrib.postgres.indexes import GinIndex
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone

from accounts.models.common import dates_in_order
from accounts.models.customers import Account
from accounts.validators import validate_mesa_zip, validate_parcel
from mesa_cs.lib.audit import audited


class ServiceArea(models.TextChoices):
    """The field crews' areas: the one list dispatch, read routes and the demo
    city use (not "EAST" on one page beside "Central" on another)."""

    CENTRAL = "Central", "Central"
    NORTHEAST = "Northeast", "Northeast"
    SOUTHEAST = "Southeast", "Southeast"
    WEST = "West", "West"


class Utility(models.TextChoices):
    ELECTRIC = "electric", "Electric"
    GAS = "gas", "Natural gas"
    WATER = "water", "Water"
    WASTEWATER = "wastewater", "Wastewater"
    SOLID_WASTE = "solid_waste", "Solid waste"
    IRRIGATION = "irrigation", "Irrigation"

    @classmethod
    def metered(cls) -> set[str]:
        return {cls.ELECTRIC, cls.GAS, cls.WATER}


@audited()
class Premise(models.Model):
    """A Mesa service address. ``address_key`` is the normalised form
    (mesa_cs.lib.address) that search and the alarm feed compare."""

    class Direction(models.TextChoices):
        N = "N", "N"
        S = "S", "S"
        E = "E", "E"
        W = "W", "W"

    house_number = models.CharField(
        max_length=6, validators=[RegexValidator(r"^\d{1,6}$", "House numbers are digits.")]
    )
    direction = models.CharField(max_length=1, choices=Direction, blank=True)
    street_name = models.CharField(max_length=60)
    street_type = models.CharField(max_length=6, blank=True, help_text="St, Rd, Dr, Ave…")
    unit = models.CharField(max_length=10, blank=True)
    city = models.CharField(max_length=40, default="Mesa")
    zip_code = models.CharField("ZIP code", max_length=5, validators=[validate_mesa_zip])
    parcel = models.CharField(
        "parcel (APN)", max_length=12, blank=True, validators=[validate_parcel]
    )
    address_key = models.CharField(max_length=120, editable=False, db_index=True)
    service_area = models.CharField(
        max_length=20,
        blank=True,
        choices=ServiceArea,
        help_text="Field crew area used by dispatch lists",
    )
    walk_order = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Place on the meter reader's walk of its route (service area); "
        "empty: after the placed ones, in street order",
    )

    class Meta:
        ordering = ["street_name", "direction", "house_number"]
        indexes = [
            GinIndex(
                fields=["address_key"], opclasses=["gin_trgm_ops"], name="premise_address_trgm"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["address_key", "zip_code"], name="premise_unique_address"
            ),
        ]

    def __str__(self):
        return self.address_line

    @property
    def address_line(self) -> str:
        parts = [self.house_number, self.direction, self.street_name, self.street_type]
        line = " ".join(p for p in parts if p)
        return f"{line} Unit {self.unit}" if self.unit else line

    @property
    def city_line(self) -> str:
        return f"{self.city}, AZ {self.zip_code}"


@audited()
class ServicePoint(models.Model):
    """Where one utility is delivered at a premise: the place a meter sits."""

    premise = models.ForeignKey(Premise, on_delete=models.PROTECT, related_name="service_points")
    utility = models.CharField(max_length=12, choices=Utility)
    location = models.CharField(max_length=80, blank=True, help_text="e.g. front yard, left side")

    class Meta:
        indexes = [models.Index(fields=["premise", "utility"], name="servicepoint_premise_idx")]

    def __str__(self):
        return f"{self.get_utility_display()} at {self.premise}"


@audited()
class Meter(models.Model):
    class Status(models.TextChoices):
        IN_STOCK = "in_stock", "In stock"
        INSTALLED = "installed", "Installed"
        REMOVED = "removed", "Removed (to test or repair)"
        RETIRED = "retired", "Retired"

    number = models.CharField(
        max_length=20,
        unique=True,
        validators=[
            RegexValidator(r"^[A-Z0-9-]+$", "Meter numbers are capital letters and digits.")
        ],
    )
    utility = models.CharField(max_length=12, choices=Utility)
    size = models.CharField(max_length=5, blank=True, help_text="Water meter size, e.g. 5/8, 1")
    dials = models.PositiveSmallIntegerField(default=5, validators=[MinValueValidator(3)])
    multiplier = models.DecimalField(max_digits=8, decimal_places=3, default=Decimal("1"))
    status = models.CharField(max_length=10, choices=Status, default=Status.IN_STOCK)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(multiplier__gt=0), name="meter_multiplier_positive"
            ),
        ]

    def __str__(self):
        return self.number


@audited()
class MeterInstallation(models.Model):
    """A meter's time at a service point: the dated install/remove history."""

    meter = models.ForeignKey(Meter, on_delete=models.PROTECT, related_name="installations")
    service_point = models.ForeignKey(
        ServicePoint, on_delete=models.PROTECT, related_name="installations"
    )
    installed_on = models.DateField()
    removed_on = models.DateField(null=True, blank=True)
    install_read = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    remove_read = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["-installed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["meter"],
                condition=models.Q(removed_on__isnull=True),
                name="meter_installed_once",
            ),
            models.UniqueConstraint(
                fields=["service_point"],
                condition=models.Q(removed_on__isnull=True),
                name="servicepoint_one_current_meter",
            ),
            dates_in_order("meterinstallation_dates_in_order", "installed_on", "removed_on"),
        ]

    def __str__(self):
        return f"{self.meter} at {self.service_point}"


class MeterRead(models.Model):
    """A register reading. Billing validates and prices them; field work and
    handheld/AMI imports record them."""

    class Kind(models.TextChoices):
        ACTUAL = "actual", "Actual"
        ESTIMATED = "estimated", "Estimated"
        CUSTOMER = "customer", "Customer read"
        INSTALL = "install", "Install"
        REMOVE = "remove", "Remove"
        FINAL = "final", "Final"

    class Status(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        EXCEPTION = "exception", "Held for review"
        REPLACED = "replaced", "Replaced"

    installation = models.ForeignKey(
        MeterInstallation, on_delete=models.PROTECT, related_name="reads"
    )
    read_on = models.DateField()
    register = models.DecimalField(max_digits=12, decimal_places=2)
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.ACTUAL)
    status = models.CharField(max_length=10, choices=Status, default=Status.ACCEPTED)
    source = models.CharField(max_length=20, blank=True, help_text="handheld, ami, field, office")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-read_on", "-pk"]
        indexes = [models.Index(fields=["installation", "-read_on"], name="meterread_latest_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(register__gte=0), name="meterread_register_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.register} on {self.read_on}"


@audited()
class ServiceAgreement(models.Model):
    """An account's service of one utility at one premise, on a rate schedule."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending start"
        ACTIVE = "active", "Active"
        DISCONNECTED = "disconnected", "Disconnected for non-payment"
        FINAL = "final", "Stopped, final bill due"
        CLOSED = "closed", "Closed"
        CANCELLED = "cancelled", "Cancelled before service began"

    OPEN_STATUSES = ("pending", "active", "disconnected")

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="agreements")
    premise = models.ForeignKey(Premise, on_delete=models.PROTECT, related_name="agreements")
    service_point = models.ForeignKey(
        ServicePoint, null=True, blank=True, on_delete=models.PROTECT, related_name="agreements"
    )
    utility = models.CharField(max_length=12, choices=Utility)
    rate_schedule = models.CharField(max_length=12, help_text="Rate book schedule code, e.g. W1.1")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status, default=Status.ACTIVE)
    containers = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Solid waste: number of containers"
    )
    service_code = models.CharField(
        max_length=10, blank=True, help_text="Commercial solid waste, e.g. 4yd:2"
    )
    acres = models.DecimalField(
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Irrigation: irrigated acres",
    )

    class Meta:
        ordering = ["utility", "-starts_on"]
        indexes = [
            models.Index(fields=["account", "status"], name="agreement_account_idx"),
            models.Index(fields=["premise", "utility"], name="agreement_premise_idx"),
        ]
        constraints = [
            dates_in_order("agreement_dates_in_order"),
            models.UniqueConstraint(
                fields=["service_point"],
                condition=models.Q(status__in=["pending", "active", "disconnected"]),
                name="servicepoint_one_open_agreement",
            ),
            models.CheckConstraint(
                condition=models.Q(acres__isnull=True) | models.Q(acres__gt=0),
                name="agreement_acres_positive",
            ),
        ]

    def __str__(self):
        return f"{self.get_utility_display()} {self.rate_schedule} for {self.account.number}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


@audited()
class ProgramEnrolment(models.Model):
    """An account's enrolment in an assistance or billing program; the rate
    engine applies program components while an enrolment covers the bill."""

    class Program(models.TextChoices):
        SEA = "SEA", "Summer Electric Assistance"
        LISR = "LISR", "Limited Income Senior Rate"
        BUDGET = "BUDGET", "Budget Billing"
        SELECT_DUE_DATE = "SDD", "Select Due Date"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="enrolments")
    program = models.CharField(max_length=10, choices=Program)
    starts_on = models.DateField()
    ends_on = models.DateField(
        null=True, blank=True, help_text="Eligibility end, e.g. requalify date"
    )
    verified_by = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-starts_on"]
        indexes = [models.Index(fields=["account", "program"], name="enrolment_account_idx")]
        constraints = [
            dates_in_order("enrolment_dates_in_order"),
        ]

    def __str__(self):
        return f"{self.program} for {self.account.number}"
