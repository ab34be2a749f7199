"""The work queues, a work item's page and its writes, aging, the
Supervision page and the approvals inbox (docs/work_items.md)."""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from mesa_cs.lib.export import SafeExportMixin
from mesa_cs.lib.forms import add_service_errors
from mesa_cs.lib.roles import LEADS, AllowMixin, Area, allow, user_roles, user_works_section
from staffing import services
from staffing.approvals import approval_kind, full_name
from staffing.filters import WorkItemFilter
from staffing.forms import (
    ApprovalDecisionForm,
    WorkItemAssignForm,
    WorkItemCloseForm,
    WorkItemNoteForm,
    WorkItemTransferForm,
)
from staffing.models import Section, WorkItem
from staffing.selectors import (
    AGE_BUCKETS,
    aging_by_person,
    aging_by_queue,
    approvals_pending,
    callbacks_due,
    complaints_escalated,
    queue_summaries,
    service_level_of,
    staff_who_work,
    work_item_history,
    work_item_record_url,
    work_items_assigned_to,
    work_items_for_queue,
)
from staffing.tables import WorkItemTable


@allow(Area.WORK_QUEUES)
def index(request):
    return render(
        request,
        "staffing/index.html",
        {"queues": queue_summaries(), "my_items": work_items_assigned_to(request.user)},
    )


@allow(Area.WORK_QUEUES)
def callbacks(request):
    from mesa_cs.lib.dates import today

    return render(
        request, "staffing/callbacks.html", {"contacts": callbacks_due(request.user, today())[:200]}
    )


class QueueView(AllowMixin, SafeExportMixin, SingleTableMixin, FilterView):
    area = Area.WORK_QUEUES
    table_class = WorkItemTable
    filterset_class = WorkItemFilter
    template_name = "staffing/queue.html"
    paginate_by = 50

    def get_queryset(self):
        return work_items_for_queue(self.section)

    def get_export_filename(self, export_format):
        return f"work-items-{self.section}.{export_format}"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        try:
            self.section = Section(kwargs["section"])
        except ValueError as exc:
            raise Http404("No such section.") from exc

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        if not self.request.GET:
            # A queue opens on the work still to do.
            kwargs["data"] = {"status": [WorkItem.Status.OPEN, WorkItem.Status.IN_PROGRESS]}
        return kwargs

    def get_template_names(self):
        if self.request.htmx:
            return ["staffing/_queue_table.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        can_work = user_works_section(self.request.user, self.section)
        return super().get_context_data(section=self.section, can_work=can_work, **kwargs)


def _work_item_page(request, item, *, status=200, **forms):
    is_lead = bool(user_roles(request.user) & LEADS)
    staff = staff_who_work(item.section)
    return render(
        request,
        "staffing/work_item.html",
        {
            "item": item,
            "level": service_level_of(item.kind),
            # An item that closes only with its record links to the record.
            "record_url": work_item_record_url(item),
            "can_work": user_works_section(request.user, item.section),
            "is_lead": is_lead,
            "notes": item.notes.select_related("author"),
            "history": work_item_history(item),
            "note_form": forms.get("note_form") or WorkItemNoteForm(),
            "close_form": forms.get("close_form") or WorkItemCloseForm(),
            "assign_form": (forms.get("assign_form") or WorkItemAssignForm(staff=staff))
            if is_lead
            else None,
            "transfer_form": forms.get("transfer_form") or WorkItemTransferForm(),
        },
        status=status,
    )


@allow(Area.WORK_QUEUES)
def work_item(request, pk):
    item = get_object_or_404(
        WorkItem.objects.select_related("account", "assignee", "opened_by", "closed_by"), pk=pk
    )
    return _work_item_page(request, item)


def _section_item_or_403(request, pk) -> WorkItem:
    """The item, if the user works its section (docs/roles.md, "Writes"):
    any section may be handed work, but only its own staff take or close it."""
    item = get_object_or_404(WorkItem, pk=pk)
    if not user_works_section(request.user, item.section):
        raise PermissionDenied(f"Only {item.get_section_display()} staff take or close this item.")
    return item


@allow(Area.WORK_QUEUES)
@require_POST
def work_item_assign_to_me(request, pk):
    item = _section_item_or_403(request, pk)
    try:
        services.work_item_assign(item_id=item.pk, assignee=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Work item #{item.pk} is now yours.")
    return redirect(request.POST.get("next") or item.get_absolute_url())


@allow(Area.WORK_QUEUES)
@require_POST
def work_item_next(request):
    """Pull the next item of the user's queues (docs/work_items.md)."""
    item = services.work_item_next(by=request.user)
    if item is None:
        messages.info(request, "Nothing is waiting in your queues that you can take.")
        return redirect(request.POST.get("next") or "staffing:index")
    messages.success(request, f"Work item #{item.pk} is now yours.")
    return redirect(item)


@allow(Area.STAFFING)
@require_POST
def work_item_assign(request, pk):
    """A supervisor hands the item to a person, or by skill."""
    item = get_object_or_404(WorkItem, pk=pk)
    form = WorkItemAssignForm(request.POST, staff=staff_who_work(item.section))
    if form.is_valid():
        try:
            if "by_skill" in request.POST:
                item = services.work_item_assign_by_skill(item_id=item.pk, by=request.user)
            elif form.cleaned_data["assignee"] is None:
                raise ValidationError({"assignee": "Choose a person, or assign by skill."})
            else:
                item = services.work_item_assign_to(
                    item_id=item.pk, assignee=form.cleaned_data["assignee"], by=request.user
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"Work item #{item.pk} is assigned to {full_name(item.assignee)}."
            )
            return redirect(item)
    return _work_item_page(request, item, assign_form=form, status=400)


@allow(Area.WORK_QUEUES)
@require_POST
def work_item_transfer(request, pk):
    item = _section_item_or_403(request, pk)
    form = WorkItemTransferForm(request.POST)
    if form.is_valid():
        try:
            item = services.work_item_transfer(
                item_id=item.pk, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"Work item #{item.pk} is now in the {item.get_section_display()} queue."
            )
            return redirect(item)
    return _work_item_page(request, item, transfer_form=form, status=400)


@allow(Area.STAFFING)
def aging(request):
    """Open work by age and overdue, per queue and per person."""
    from mesa_cs.lib.dates import today

    on = today()
    context = {
        "buckets": [label for _, _, label in AGE_BUCKETS],
        "queues": aging_by_queue(on),
        "people": aging_by_person(on),
    }
    return render(request, "staffing/aging.html", context)


@allow(Area.WORK_QUEUES)
@require_POST
def work_item_note(request, pk):
    item = get_object_or_404(WorkItem, pk=pk)
    form = WorkItemNoteForm(request.POST)
    if form.is_valid():
        services.work_item_note_add(
            item_id=item.pk, author=request.user, text=form.cleaned_data["text"]
        )
        messages.success(request, "Note added.")
        return redirect(item)
    return _work_item_page(request, item, note_form=form, status=400)


@allow(Area.WORK_QUEUES)
@require_POST
def work_item_close(request, pk):
    item = _section_item_or_403(request, pk)
    form = WorkItemCloseForm(request.POST)
    if form.is_valid():
        try:
            services.work_item_close(item_id=item.pk, closed_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Work item #{item.pk} closed.")
        return redirect(item)
    return _work_item_page(request, item, close_form=form, status=400)


@allow(Area.STAFFING)
def supervision(request):
    context = {"queues": queue_summaries(), "complaints": complaints_escalated()[:20]}
    return render(request, "staffing/supervision.html", context)


# The supervisors' approvals inbox: every kind the apps register (staffing.approvals).
@allow(Area.STAFFING)
def approvals(request):
    return render(request, "staffing/approvals.html", {"rows": approvals_pending()})


@allow(Area.STAFFING)
@require_POST
def approval_decide(request, kind, pk):
    registered = approval_kind(kind)
    if registered is None:
        raise Http404("No such kind of approval.")
    form = ApprovalDecisionForm(request.POST)
    error = decided = ""
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.approval_decide(
                kind=kind,
                pk=pk,
                by=request.user,
                approve=approve,
                reason=form.cleaned_data["reason"],
            )
        except ObjectDoesNotExist as exc:
            raise Http404("No such request.") from exc
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            decided = "Approved" if approve else "Declined"
    else:
        error = " ".join(m for errors in form.errors.values() for m in errors)
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, f"{registered.label} #{pk}: {decided.lower()}.")
        return redirect("staffing:approvals")
    row = next((r for r in registered.pending() if r.pk == pk), None)
    return render(
        request,
        "staffing/_approval_row.html",
        {
            "row": row,
            "kind": registered,
            "pk": pk,
            "error": error,
            "decided": decided,
            "reason": form.cleaned_data.get("reason", "") if form.is_valid() else "",
            "decider": full_name(request.user),
        },
        status=400 if error else 200,
    )
