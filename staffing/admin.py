from django.contrib import admin

from staffing.models import WorkItem, WorkItemNote


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
