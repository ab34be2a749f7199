from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from billing.models import (
    Bill,
    BillCycle,
    BillRun,
    CycleDate,
    HeatContentFactor,
    RateBookMeta,
    RateComponent,
    RateSchedule,
    RateVersion,
    SpecialRateCode,
)
from billing.rules.ratebook import RateBookError, parse_component_spec
from billing.services.rates import version_is_billed
from mesa_cs.lib.admin import ReadOnlyAdmin


class RateComponentForm(forms.ModelForm):
    class Meta:
        model = RateComponent
        fields = ["version", "position", "spec"]
        help_texts = {
            "spec": 'The component as in mesa-ratebook/1, e.g. {"type": "fixed", "name": '
            '"Service charge", "amount": "16.25"}. Money as strings.'
        }

    def clean(self):
        cleaned = super().clean()
        version, spec = cleaned.get("version"), cleaned.get("spec")
        if version is not None and version_is_billed(version):
            raise ValidationError(
                "This version has priced issued bills and cannot change; add a later version."
            )
        if spec is not None:
            try:
                component = parse_component_spec(spec, "component")
            except RateBookError as exc:
                raise ValidationError({"spec": str(exc)}) from exc
            cleaned["parsed"] = component
        return cleaned

    def save(self, commit=True):
        component = self.cleaned_data["parsed"]
        self.instance.type, self.instance.name = component.type, component.name
        return super().save(commit)


class RateComponentInline(admin.TabularInline):
    model = RateComponent
    form = RateComponentForm
    extra = 0

    # The components of a version that priced an issued bill stay as they were.
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not _billed(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _billed(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _billed(obj)


def _billed(version) -> bool:
    return isinstance(version, RateVersion) and version_is_billed(version)


@admin.register(RateVersion)
class RateVersionAdmin(admin.ModelAdmin):
    list_display = ["schedule", "effective", "status", "loaded_at"]
    list_filter = ["status", "schedule"]
    inlines = [RateComponentInline]

    # A version that priced an issued bill is what those bills say they were
    # priced by: it may be looked at, never changed or deleted.
    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _billed(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _billed(obj)


@admin.register(RateSchedule)
class RateScheduleAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "utility", "customer_class", "unit"]
    list_filter = ["utility", "customer_class"]
    search_fields = ["code", "name"]


@admin.register(SpecialRateCode)
class SpecialRateCodeAdmin(ReadOnlyAdmin):
    """Made and assigned through their pages (docs/special_rate_codes.md)."""

    list_display = ["schedule", "based_on", "kind", "effective", "created_by", "created_at"]
    list_filter = ["kind", "based_on"]
    search_fields = ["schedule__code", "schedule__name", "reason"]


@admin.register(RateBookMeta)
class RateBookMetaAdmin(admin.ModelAdmin):
    list_display = ["__str__", "timezone"]


@admin.register(HeatContentFactor)
class HeatContentFactorAdmin(admin.ModelAdmin):
    list_display = ["month", "factor"]


@admin.register(BillCycle)
class BillCycleAdmin(admin.ModelAdmin):
    list_display = ["number", "name"]


@admin.register(CycleDate)
class CycleDateAdmin(admin.ModelAdmin):
    list_display = ["cycle", "year", "month", "read_on", "bill_on"]
    list_filter = ["year", "cycle"]


@admin.register(BillRun)
class BillRunAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "total", "done", "billed", "exceptions", "created_at"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in BillRun._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Bill)
class BillAdmin(ReadOnlyAdmin):
    """Issued bills never change; admin can only look."""

    list_display = ["pk", "account", "period_start", "period_end", "amount_due", "status"]
    list_filter = ["status", "bill_on"]
    search_fields = ["account__number"]
    raw_id_fields = ["account", "run", "entry", "rebill_of"]
