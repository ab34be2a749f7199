"""Administrators keep the routes, trucks, crew and the cost rate here.
Production changes only through the EMS pages and the import (payroll is
paid from it), so admin only looks at it and at the files."""

from django.contrib import admin

from mesa_cs.lib.admin import ReadOnlyAdmin
from solidwaste.models import CostRate, CrewMember, ProductionEntry, ProductionFile, Route, Truck


@admin.register(Route)
class RouteAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "service_line",
        "service_area",
        "foreman",
        "daily_lift_target",
        "active",
    ]
    list_filter = ["service_line", "service_area", "active"]
    search_fields = ["code", "name"]


@admin.register(Truck)
class TruckAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["number"]


@admin.register(CrewMember)
class CrewMemberAdmin(admin.ModelAdmin):
    list_display = ["employee_number", "name", "position", "foreman", "active"]
    list_filter = ["position", "active"]
    search_fields = ["employee_number", "name"]


@admin.register(CostRate)
class CostRateAdmin(admin.ModelAdmin):
    list_display = ["effective_on", "cost_per_hour", "note"]


@admin.register(ProductionEntry)
class ProductionEntryAdmin(ReadOnlyAdmin):
    list_display = ["work_on", "route", "operator", "truck", "lifts", "tons", "hours"]
    list_filter = ["route__service_line"]
    search_fields = ["route__code", "operator__employee_number", "operator__name"]
    raw_id_fields = ["route", "truck", "operator", "file", "entered_by"]


@admin.register(ProductionFile)
class ProductionFileAdmin(ReadOnlyAdmin):
    list_display = ["filename", "uploaded_at", "uploaded_by"]
    exclude = ["content"]
