"""Administrators keep the alarm-company registry here; permits, incidents,
invoices, appeals and suspensions change only through the Alarm Unit's
pages and imports (each is money or a legal step), so admin only looks."""

from django.contrib import admin

from alarms.models import (
    AlarmCompany,
    AlarmFile,
    AlarmInvoice,
    AlarmPermit,
    Appeal,
    Assessment,
    Incident,
    Suspension,
)
from mesa_cs.lib.admin import ReadOnlyAdmin


@admin.register(AlarmCompany)
class AlarmCompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "contact_name", "phone", "email", "license_number", "active"]
    list_filter = ["active"]
    search_fields = ["name", "contact_name", "license_number"]


@admin.register(AlarmPermit)
class AlarmPermitAdmin(ReadOnlyAdmin):
    list_display = ["number", "holder_name", "address", "status", "issued_on", "expires_on"]
    list_filter = ["status", "customer_class"]
    search_fields = ["number", "holder_name", "address_key"]
    raw_id_fields = ["account", "premise", "alarm_company", "created_by"]


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = ["incident_number", "reported_at", "address", "alarm_type", "disposition"]
    list_filter = ["alarm_type", "disposition", "research"]
    search_fields = ["incident_number", "address_key"]
    raw_id_fields = ["permit", "file"]


@admin.register(AlarmInvoice)
class AlarmInvoiceAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "account", "issued_on", "due_on", "amount"]
    list_filter = ["kind"]
    search_fields = ["number", "account__number"]
    raw_id_fields = ["account", "permit", "incident", "entry", "file"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["incident", "fee_type", "alarm_class", "count_in_window", "amount", "status"]
    list_filter = ["fee_type", "status"]
    raw_id_fields = ["incident", "invoice"]


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ["invoice", "filed_on", "hearing_by", "hearing_on", "status", "outcome"]
    list_filter = ["status", "outcome"]
    raw_id_fields = ["invoice", "filed_by", "decided_by", "credit_entry"]


@admin.register(Suspension)
class SuspensionAdmin(ReadOnlyAdmin):
    list_display = ["permit", "reason", "started_on", "ended_on", "reinstated_by"]
    list_filter = ["reason"]
    raw_id_fields = ["permit", "incident", "reinstated_by"]


@admin.register(AlarmFile)
class AlarmFileAdmin(ReadOnlyAdmin):
    list_display = ["filename", "kind", "uploaded_at", "uploaded_by"]
    list_filter = ["kind"]
    exclude = ["content"]
