"""Administrators configure collection ladders and see Credit Services'
records; money-moving records are changed through the pages, not here."""

from django.contrib import admin
from django.db import models
from django.forms import Textarea

from credit.models import (
    AgencyReferral,
    ArrangementRequest,
    Bankruptcy,
    CollectionEvent,
    CollectionLadder,
    CollectionRun,
    HeatDay,
    Hold,
    LadderStep,
    PaymentArrangement,
    Pledge,
    WriteOff,
)
from mesa_cs.lib.admin import ReadOnlyAdmin


class LadderStepInline(admin.TabularInline):
    model = LadderStep
    extra = 0
    fields = ["position", "action", "delay_days", "channel", "fee", "notice_text", "notice_text_es"]
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 4, "cols": 40})}}


@admin.register(CollectionLadder)
class CollectionLadderAdmin(admin.ModelAdmin):
    list_display = ["name", "customer_class", "active"]
    inlines = [LadderStepInline]


@admin.register(HeatDay)
class HeatDayAdmin(admin.ModelAdmin):
    list_display = ["day", "kind", "note", "recorded_by"]
    list_filter = ["kind"]
    raw_id_fields = ["recorded_by"]


@admin.register(Hold)
class HoldAdmin(ReadOnlyAdmin):
    """Holds start and end through Credit Services (a release needs a reason,
    a hold cancels pending disconnects): admin only looks."""

    list_display = ["account", "kind", "reason", "owner", "starts_on", "ends_on", "released_on"]
    list_filter = ["kind"]
    raw_id_fields = ["account", "owner"]
    search_fields = ["account__number"]


@admin.register(CollectionRun)
class CollectionRunAdmin(ReadOnlyAdmin):
    list_display = ["run_on", "started_at", "finished_at", "counts"]


@admin.register(CollectionEvent)
class CollectionEventAdmin(ReadOnlyAdmin):
    list_display = ["account", "run_on", "step", "past_due"]
    list_filter = ["run_on"]
    raw_id_fields = ["account", "fee_entry", "batch"]


@admin.register(PaymentArrangement)
class PaymentArrangementAdmin(ReadOnlyAdmin):
    list_display = ["account", "status", "made_on", "amount", "months"]
    list_filter = ["status"]


@admin.register(Pledge)
class PledgeAdmin(ReadOnlyAdmin):
    list_display = ["account", "agency", "amount", "status", "expires_on"]
    list_filter = ["agency", "status"]


@admin.register(Bankruptcy)
class BankruptcyAdmin(ReadOnlyAdmin):
    list_display = ["account", "case_number", "chapter", "petition_on", "status"]


@admin.register(WriteOff)
class WriteOffAdmin(ReadOnlyAdmin):
    list_display = ["account", "amount", "status", "requested_by", "decided_by"]


@admin.register(ArrangementRequest)
class ArrangementRequestAdmin(ReadOnlyAdmin):
    list_display = ["account", "amount", "months", "status", "requested_by", "decided_by"]
    list_filter = ["status"]


@admin.register(AgencyReferral)
class AgencyReferralAdmin(ReadOnlyAdmin):
    list_display = ["account", "referred_on", "amount", "recalled_on"]
