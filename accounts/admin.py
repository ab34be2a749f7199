from django.contrib import admin
from django.utils import timezone

from accounts.models import (
    Account,
    AccountFlag,
    AccountNote,
    AccountPerson,
    Contact,
    FieldActivity,
    GLAccount,
    JournalEntry,
    JournalLeg,
    Letter,
    LetterTemplate,
    Meter,
    MeterInstallation,
    MeterRead,
    Person,
    Premise,
    ProgramEnrolment,
    ServiceAgreement,
    ServicePoint,
)
from accounts.services import premise_address_key
from mesa_cs.lib.admin import ReadOnlyAdmin


class AccountPersonInline(admin.TabularInline):
    model = AccountPerson
    extra = 0
    raw_id_fields = ["person"]


class AccountFlagInline(admin.TabularInline):
    model = AccountFlag
    extra = 0
    raw_id_fields = ["set_by"]


class ProgramEnrolmentInline(admin.TabularInline):
    model = ProgramEnrolment
    extra = 0


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "kind", "customer_class", "bill_cycle", "status", "opened_on"]
    list_filter = ["kind", "customer_class", "status", "bill_cycle"]
    search_fields = ["number", "name"]
    readonly_fields = ["number"]
    inlines = [AccountPersonInline, AccountFlagInline, ProgramEnrolmentInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "phone", "email", "preferred_language", "id_type", "id_last4"]
    list_filter = ["preferred_language", "id_type"]
    search_fields = ["full_name", "phone", "alt_phone", "email"]


@admin.register(Premise)
class PremiseAdmin(admin.ModelAdmin):
    list_display = ["address_line", "zip_code", "parcel", "service_area"]
    list_filter = ["zip_code", "service_area"]
    search_fields = ["address_key", "parcel"]

    def save_model(self, request, obj, form, change):
        obj.address_key = premise_address_key(obj)
        super().save_model(request, obj, form, change)


@admin.register(ServicePoint)
class ServicePointAdmin(admin.ModelAdmin):
    list_display = ["premise", "utility", "location"]
    list_filter = ["utility"]
    search_fields = ["premise__address_key"]
    raw_id_fields = ["premise"]


@admin.register(Meter)
class MeterAdmin(admin.ModelAdmin):
    list_display = ["number", "utility", "size", "dials", "multiplier", "status"]
    list_filter = ["utility", "size", "status"]
    search_fields = ["number"]


@admin.register(MeterInstallation)
class MeterInstallationAdmin(admin.ModelAdmin):
    list_display = ["meter", "service_point", "installed_on", "removed_on"]
    list_filter = ["service_point__utility"]
    search_fields = ["meter__number", "service_point__premise__address_key"]
    raw_id_fields = ["meter", "service_point"]


@admin.register(MeterRead)
class MeterReadAdmin(ReadOnlyAdmin):
    """Reads priced bills and moved through the read review; they change only
    through the billing services (a correction is a new read)."""

    list_display = ["installation", "read_on", "register", "kind", "status", "source"]
    list_filter = ["kind", "status", "source"]
    search_fields = ["installation__meter__number"]
    raw_id_fields = ["installation"]
    date_hierarchy = "read_on"


@admin.register(ServiceAgreement)
class ServiceAgreementAdmin(admin.ModelAdmin):
    list_display = [
        "account",
        "utility",
        "rate_schedule",
        "premise",
        "starts_on",
        "ends_on",
        "status",
    ]
    list_filter = ["utility", "status", "rate_schedule"]
    search_fields = ["account__number", "premise__address_key"]
    raw_id_fields = ["account", "premise", "service_point"]


@admin.register(ProgramEnrolment)
class ProgramEnrolmentAdmin(admin.ModelAdmin):
    list_display = ["account", "program", "starts_on", "ends_on"]
    list_filter = ["program"]
    search_fields = ["account__number"]
    raw_id_fields = ["account"]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["account", "channel", "topic", "created_by", "created_at", "follow_up_on"]
    list_filter = ["channel", "topic"]
    search_fields = ["account__number", "notes"]
    raw_id_fields = ["account", "person", "created_by"]


@admin.register(AccountNote)
class AccountNoteAdmin(admin.ModelAdmin):
    list_display = ["account", "pinned", "created_by", "created_at"]
    list_filter = ["pinned"]
    search_fields = ["account__number", "text"]
    raw_id_fields = ["account", "created_by"]


@admin.register(AccountFlag)
class AccountFlagAdmin(admin.ModelAdmin):
    list_display = ["account", "kind", "starts_on", "ends_on", "reason"]
    list_filter = ["kind"]
    search_fields = ["account__number"]
    raw_id_fields = ["account", "set_by"]


@admin.register(GLAccount)
class GLAccountAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "purpose", "utility", "rate_schedule", "active"]
    list_filter = ["purpose", "utility", "active"]
    search_fields = ["code", "name"]


class JournalLegInline(admin.TabularInline):
    model = JournalLeg
    fields = ["gl_account", "account", "service_agreement", "amount"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "effective_on", "account", "description", "posted_at"]
    list_filter = ["kind"]
    search_fields = ["account__number", "description", "source_key"]
    date_hierarchy = "effective_on"
    inlines = [JournalLegInline]


@admin.register(JournalLeg)
class JournalLegAdmin(ReadOnlyAdmin):
    list_display = ["entry", "gl_account", "account", "amount"]
    list_filter = ["gl_account"]
    search_fields = ["account__number"]
    list_select_related = ["entry", "gl_account", "account"]


@admin.register(FieldActivity)
class FieldActivityAdmin(ReadOnlyAdmin):
    """Field work is ordered, completed and cancelled on the pages, where the
    holds and completion checks apply; admin changing its status would send
    or stop a crew behind them."""

    list_display = ["kind", "status", "account", "premise", "scheduled_on", "area", "completed_on"]
    list_filter = ["kind", "status", "area", "same_day"]
    search_fields = ["account__number", "premise__address_key"]
    raw_id_fields = [
        "account",
        "premise",
        "service_point",
        "agreement",
        "ordered_by",
        "completed_by",
        "read",
        "removal_read",
    ]
    date_hierarchy = "scheduled_on"


# Letters. Supervisors reword templates on the letters page; here an
# administrator may also turn a kind off. The five kinds are fixed.
@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "subject", "active", "updated_at", "updated_by"]
    list_filter = ["active"]
    fields = ["kind", "name", "subject", "body", "active", "updated_by", "updated_at"]
    readonly_fields = ["kind", "updated_by", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(Letter)
class LetterAdmin(ReadOnlyAdmin):
    """Letters are the record of what was sent: never changed."""

    list_display = ["created_at", "account", "kind", "subject", "emailed_to", "emailed_at"]
    list_filter = ["kind"]
    search_fields = ["account__number", "subject", "source_key", "emailed_to"]
    list_select_related = ["account"]
    date_hierarchy = "created_at"
