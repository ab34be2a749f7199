from decimal import Decimal

import django_tables2 as tables
from django.urls import reverse

from accounts.models import Account, Utility
from billing.models import Adjustment, RateScenario, RateSchedule, SpecialRateCode
from mesa_cs.lib.columns import DayColumn, StaffColumn
from mesa_cs.lib.formatting import export_text, money_text, read_text


class AdjustmentTable(tables.Table):
    account = tables.Column(accessor="account__number", verbose_name="Account")
    requested_by = StaffColumn(accessor="requested_by", verbose_name="Requested by")
    decided_by = StaffColumn(accessor="decided_by", verbose_name="Decided by", default="—")
    decide = tables.TemplateColumn(
        template_name="billing/_adjustment_decide.html",
        verbose_name="",
        orderable=False,
        exclude_from_export=True,
    )

    class Meta:
        model = Adjustment
        fields = [
            "requested_at",
            "account",
            "utility",
            "amount",
            "reason",
            "note",
            "status",
            "requested_by",
            "decided_by",
            "decide",
        ]
        empty_text = "No adjustments match."


class MoneyColumn(tables.Column):
    """An amount: right-aligned, written ``$1,234.56``, with the column's
    total in the footer; exports keep the number, so a spreadsheet can add it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "attrs",
            {
                "th": {"class": "text-end"},
                "td": {"class": "text-end font-monospace text-nowrap"},
                "tf": {"class": "text-end font-monospace text-nowrap fw-bold"},
            },
        )
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def render(self, value):
        return money_text(value)

    def value(self, value):
        return value

    def render_footer(self, bound_column, table):
        return money_text(sum((row.get(bound_column.name) or 0 for row in table.data), Decimal(0)))


def register_table(amounts: tuple[str, ...]) -> type[tables.Table]:
    """The billing register's table: its columns in a fixed order, every
    amount a ``MoneyColumn`` totalled in the footer."""
    labels = {
        **dict(Utility.choices),
        "current_charges": "Current charges",
        "amount_due": "Amount due",
    }
    columns = {
        "account": tables.Column(
            verbose_name="Account",
            footer="Total",
            linkify=lambda value: reverse("accounts:detail", args=[value]),
        ),
        "name": tables.Column(verbose_name="Name"),
        # From a run to each bill, and from there to its PDF.
        "bill": tables.Column(
            verbose_name="Bill", linkify=lambda value: reverse("billing:bill", args=[value])
        ),
        "period": tables.Column(verbose_name="Period", attrs={"td": {"class": "text-nowrap"}}),
        "status": tables.Column(verbose_name="Status"),
        **{name: MoneyColumn(verbose_name=labels[name]) for name in amounts},
    }
    return type(
        "RegisterTable",
        (tables.Table,),
        {**columns, "Meta": type("Meta", (), {"orderable": False})},
    )


class LabelColumn(tables.Column):
    """A stored code written as its label, on the page and in exports."""

    def __init__(self, labels: dict, *args, **kwargs):
        self.labels = labels
        super().__init__(*args, **kwargs)

    def render(self, value):
        return self.labels.get(value, value)

    def value(self, value):
        return self.labels.get(value, value)


class ReadColumn(tables.Column):
    """Usage as the meter counts it (no spurious decimals); exports keep the number."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"th": {"class": "text-end"}, "td": {"class": "text-end"}})
        super().__init__(*args, **kwargs)

    def render(self, value):
        return read_text(value)

    def value(self, value):
        return value


class RevenueTable(tables.Table):
    month = tables.Column(verbose_name="Month", footer="Total")
    utility = LabelColumn(dict(Utility.choices), verbose_name="Utility")
    schedule = tables.Column(verbose_name="Schedule")
    revenue = MoneyColumn(verbose_name="Revenue")
    tax = MoneyColumn(verbose_name="Tax")


class ConsumptionTable(tables.Table):
    month = tables.Column(verbose_name="Month")
    utility = LabelColumn(dict(Utility.choices), verbose_name="Utility")
    customer_class = LabelColumn(
        dict(Account.CustomerClass.choices), accessor="class", verbose_name="Class"
    )
    bills = tables.Column(
        verbose_name="Bills", attrs={"th": {"class": "text-end"}, "td": {"class": "text-end"}}
    )
    usage = ReadColumn(verbose_name="Usage")
    unit = tables.Column(verbose_name="Unit")


class HeldReadTable(tables.Table):
    """The held reads as an export (the page draws its own table)."""

    read_on = tables.Column(verbose_name="Read date")
    account = tables.Column(verbose_name="Account")
    address = tables.Column(verbose_name="Address")
    utility = tables.Column(verbose_name="Utility")
    meter = tables.Column(verbose_name="Meter")
    reason = tables.Column(verbose_name="Reason")
    previous_register = tables.Column(verbose_name="Previous read")
    previous_on = tables.Column(verbose_name="Previous read date")
    register = tables.Column(verbose_name="This read")
    usage = tables.Column(verbose_name="Usage")
    unit = tables.Column(verbose_name="Unit")
    days = tables.Column(verbose_name="Days")
    daily_usage = tables.Column(verbose_name="Per day")
    average_daily = tables.Column(verbose_name="Average per day")
    state = tables.Column(verbose_name="State")
    reread_on = tables.Column(verbose_name="Re-read on")

    def value_read_on(self, value):
        return export_text(value)

    def value_previous_on(self, value):
        return export_text(value)

    def value_reread_on(self, value):
        return export_text(value)


def held_read_rows(reads) -> list[dict]:
    """One export row per held read (with ``unit`` set on each, as the page does)."""
    rows = []
    for read in reads:
        hold = getattr(read, "hold", None)  # a read held before holds were kept has none
        meter = read.installation.meter
        rows.append(
            {
                "read_on": read.read_on,
                "account": hold.account.number if hold and hold.account else "",
                "address": read.installation.service_point.premise.address_line,
                "utility": meter.get_utility_display(),
                "meter": meter.number,
                "reason": hold.get_reason_display() if hold and hold.reason else "",
                "previous_register": hold.previous_register if hold else None,
                "previous_on": hold.previous_on if hold else None,
                "register": read.register,
                "usage": hold.usage if hold else None,
                "unit": read.unit,
                "days": hold.days if hold else None,
                "daily_usage": round(hold.daily_usage, 2)
                if hold and hold.usage is not None
                else None,
                "average_daily": hold.average_daily if hold else None,
                "state": hold.state if hold else "Held",
                "reread_on": hold.reread.scheduled_on if hold and hold.reread else None,
            }
        )
    return rows


class RateScheduleTable(tables.Table):
    """The rate book's schedules, with the version in force and any draft."""

    code = tables.Column(
        verbose_name="Schedule",
        linkify=lambda record: reverse("billing:rate_schedule", args=[record.code]),
        attrs={"td": {"class": "text-nowrap"}},
    )
    in_force_since = DayColumn(verbose_name="In force since", default="—")
    latest_effective = DayColumn(verbose_name="Latest version from", default="—")
    draft_effective = DayColumn(verbose_name="Draft from", default="—")

    class Meta:
        model = RateSchedule
        fields = [
            "code", "name", "utility", "customer_class", "unit",
            "in_force_since", "latest_effective", "draft_effective",
        ]  # fmt: skip
        empty_text = "No rate schedules match."


class SpecialRateCodeTable(tables.Table):
    """Special-billing rate codes with their base and the services they bill."""

    code = tables.Column(
        accessor="schedule__code",
        verbose_name="Code",
        linkify=lambda record: record.get_absolute_url(),
        attrs={"td": {"class": "text-nowrap"}},
    )
    name = tables.Column(accessor="schedule__name", verbose_name="Name")
    based_on = tables.Column(accessor="based_on__code", verbose_name="Base")
    kind = tables.Column(verbose_name="Situation")
    effective = DayColumn(verbose_name="Effective")
    in_force_from = DayColumn(verbose_name="In force from", default="Draft only")
    agreements = tables.Column(verbose_name="Services", default=0)
    created_by = StaffColumn(verbose_name="Created by")

    class Meta:
        model = SpecialRateCode
        fields = [
            "code", "name", "based_on", "kind", "effective", "in_force_from",
            "agreements", "reason", "created_by",
        ]  # fmt: skip
        sequence = fields
        empty_text = "No special rate codes match."


class RateScenarioTable(tables.Table):
    """Saved rate scenarios with their revenue impact over the year modelled."""

    # Ticked boxes belong to the compare form above the table (form="compare-form").
    compare = tables.TemplateColumn(
        '<input type="checkbox" class="form-check-input" name="s" value="{{ record.pk }}" '
        'form="compare-form" aria-label="Compare {{ record.name }}">',
        verbose_name="Compare",
        orderable=False,
        exclude_from_export=True,
    )
    name = tables.Column(linkify=lambda record: record.get_absolute_url())
    effective = DayColumn(verbose_name="Effective")
    changes = tables.Column(
        accessor="result__changes", verbose_name="Changes", orderable=False, default="—"
    )
    current = tables.Column(
        accessor="result__total__current", verbose_name="Revenue now", orderable=False
    )
    proposed = tables.Column(
        accessor="result__total__proposed", verbose_name="Revenue proposed", orderable=False
    )
    percent = tables.Column(
        accessor="result__total__percent", verbose_name="Change %", orderable=False
    )
    status = tables.Column(verbose_name="Status")
    created_by = StaffColumn(verbose_name="Saved by")
    created_at = tables.DateTimeColumn(verbose_name="Saved")

    class Meta:
        model = RateScenario
        fields = ["compare", "name", "effective", "changes", "current", "proposed", "percent",
                  "status", "created_by", "created_at"]  # fmt: skip
        sequence = fields
        empty_text = "No rate scenarios yet."

    def render_changes(self, value):
        return "; ".join(value)

    def value_changes(self, value):
        return "; ".join(value)

    def render_current(self, value):
        return money_text(Decimal(value))

    def render_proposed(self, value):
        return money_text(Decimal(value))

    def value_current(self, value):
        return Decimal(value)

    def value_proposed(self, value):
        return Decimal(value)
