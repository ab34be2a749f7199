import django_tables2 as tables

from alarms.models import AlarmCompany, AlarmInvoice, AlarmPermit, Appeal, Incident
from mesa_cs.lib.columns import DayColumn, MomentColumn, MoneyColumn

NOWRAP = {"td": {"class": "text-nowrap"}}


def _link(url: str, text: str, accessor: str, label: str):
    return tables.TemplateColumn(
        f'<a href="{{% url {url} %}}">{text}</a>',
        accessor=accessor,
        verbose_name=label,
        attrs=NOWRAP,
    )


class PermitTable(tables.Table):
    number = _link("'alarms:permit' record.number", "{{ record.number }}", "number", "Permit")
    issued_on = DayColumn()
    expires_on = DayColumn()
    customer_class = tables.Column(verbose_name="Premise type")
    alarm_company = tables.Column(
        accessor="alarm_company__name", default="—", verbose_name="Alarm company"
    )
    account = tables.Column(accessor="account__number", verbose_name="Alarm account")

    class Meta:
        model = AlarmPermit
        fields = [
            "number", "holder_name", "address", "customer_class", "status", "issued_on",
            "expires_on", "alarm_company", "account",
        ]  # fmt: skip
        empty_text = "No permits match."


class IncidentTable(tables.Table):
    incident_number = _link(
        "'alarms:incident' record.incident_number",
        "{{ record.incident_number }}",
        "incident_number",
        "Incident",
    )
    reported_at = MomentColumn(verbose_name="Reported")
    permit = tables.Column(
        accessor="permit__number", default="—", verbose_name="Permit", attrs=NOWRAP
    )
    count_in_window = tables.Column(verbose_name="Count in 365 days", default="—")
    # Kept for the export; on screen the research filter says it.
    research = tables.Column(visible=False)
    matched_by = tables.Column(visible=False)

    class Meta:
        model = Incident
        fields = [
            "incident_number", "reported_at", "address", "alarm_type", "disposition",
            "permit", "matched_by", "count_in_window", "research",
        ]  # fmt: skip
        empty_text = "No incidents match."


class InvoiceTable(tables.Table):
    number = _link("'alarms:invoice' record.number", "{{ record.number }}", "number", "Invoice")
    issued_on = DayColumn()
    due_on = DayColumn()
    amount = MoneyColumn()
    account = tables.Column(accessor="account__number", verbose_name="Alarm account")
    permit = tables.Column(
        accessor="permit__number", default="—", verbose_name="Permit", attrs=NOWRAP
    )

    class Meta:
        model = AlarmInvoice
        fields = ["number", "kind", "issued_on", "due_on", "amount", "account", "permit"]
        empty_text = "No invoices match."


class AppealTable(tables.Table):
    pk = _link("'alarms:appeal' record.pk", "Appeal {{ record.pk }}", "pk", "Appeal")
    invoice = tables.Column(accessor="invoice__number", verbose_name="Invoice", attrs=NOWRAP)
    holder = tables.Column(accessor="invoice__account__name", verbose_name="Holder")
    permit = tables.Column(
        accessor="invoice__permit__number", default="—", verbose_name="Permit", attrs=NOWRAP
    )
    filed_on = DayColumn()
    hearing_by = DayColumn()
    hearing_on = DayColumn(default="—")
    amount_upheld = MoneyColumn(verbose_name="Stands", default="—")

    class Meta:
        model = Appeal
        fields = [
            "pk", "invoice", "holder", "permit", "filed_on", "hearing_by", "hearing_on",
            "status", "outcome", "amount_upheld",
        ]  # fmt: skip
        empty_text = "No appeals match."


class CompanyTable(tables.Table):
    name = _link("'alarms:company' record.pk", "{{ record.name }}", "name", "Company")
    permits_active = tables.Column(verbose_name="Active permits")
    permits_total = tables.Column(verbose_name="All permits")

    class Meta:
        model = AlarmCompany
        fields = ["name", "contact_name", "phone", "email", "license_number", "active"]
        sequence = (
            "name",
            "contact_name",
            "phone",
            "email",
            "license_number",
            "permits_active",
            "permits_total",
            "active",
        )
        empty_text = "No alarm companies yet."
