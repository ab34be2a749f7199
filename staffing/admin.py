from django.contrib import admin

from mesa_cs.lib.admin import ReadOnlyAdmin
from staffing.models import (
    Complaint,
    Skill,
    SpotCheck,
    SpotCheckQuestion,
    StaffProfile,
    WorkItem,
    WorkItemNote,
    WorkKind,
)


class WorkItemNoteInline(admin.TabularInline):
    model = WorkItemNote
    extra = 0
    readonly_fields = ["author", "text", "created_at"]
    can_delete = False


@admin.register(WorkItem)
class WorkItemAdmin(admin.ModelAdmin):
    """Read-mostly: items are opened and closed by services, not by editing rows."""

    list_display = ["id", "title", "kind", "section", "priority", "status", "assignee", "due_on"]
    list_filter = ["section", "status", "priority", "kind"]
    search_fields = ["title", "account__number", "source_key"]
    raw_id_fields = ["account", "assignee", "opened_by", "closed_by"]
    readonly_fields = [
        "kind",
        "source_key",
        "opened_by",
        "opened_at",
        "closed_by",
        "closed_at",
        "status",
        "outcome",
    ]
    inlines = [WorkItemNoteInline]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    """Staff profiles are set up here by administrators (docs/work_items.md)."""

    list_display = ["__str__", "section", "office", "title", "supervisor", "active"]
    list_filter = ["section", "office", "active", "skills"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "phone_agent_id"]
    raw_id_fields = ["user", "supervisor"]
    filter_horizontal = ["skills"]


@admin.register(WorkKind)
class WorkKindAdmin(admin.ModelAdmin):
    """Each kind's service level: a change applies to the items opened after it."""

    list_display = ["kind", "label", "section", "priority", "due_days", "skill"]
    list_filter = ["section", "priority", "skill"]
    search_fields = ["kind", "label"]


@admin.register(SpotCheckQuestion)
class SpotCheckQuestionAdmin(admin.ModelAdmin):
    """The checklists; a change applies to the checks recorded after it."""

    list_display = ["subject", "position", "text", "active"]
    list_filter = ["subject", "active"]


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    """Complaints change only through their page (docs/complaints.md)."""

    list_display = ["id", "category", "level", "status", "level_due_on", "opened_at"]
    list_filter = ["status", "level", "category"]


@admin.register(SpotCheck)
class SpotCheckAdmin(ReadOnlyAdmin):
    list_display = ["subject", "object_id", "staff", "score", "checked_by", "checked_at"]
    list_filter = ["subject"]
