"""Payments are money received: admin may look at them, never change them.
A wrong payment is voided or returned through Cashiering, which posts the
reversing entry."""

from django.contrib import admin

from cashiering.models import Payment, PaymentAllocation, PaymentTender, VoidRequest
from mesa_cs.lib.admin import ReadOnlyAdmin


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PaymentTenderInline(_ReadOnlyInline):
    model = PaymentTender


class PaymentAllocationInline(_ReadOnlyInline):
    model = PaymentAllocation
    raw_id_fields = ["account", "entry"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["pk", "received_on", "source", "payer_name", "status"]
    list_filter = ["status", "source"]
    search_fields = ["allocations__account__number", "payer_name"]
    date_hierarchy = "received_on"
    raw_id_fields = ["shift", "created_by"]
    inlines = [PaymentTenderInline, PaymentAllocationInline]


@admin.register(VoidRequest)
class VoidRequestAdmin(ReadOnlyAdmin):
    list_display = ["payment", "status", "requested_by", "requested_at", "decided_by"]
    list_filter = ["status"]
