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
from staffing.filters import ComplaintFilter, SpotCheckFilter, WorkItemFilter
from staffing.forms import (
    ApprovalDecisionForm,
    ComplaintCloseForm,
    ComplaintEscalateForm,
    ComplaintForm,
    ComplaintTextForm,
    SpotCheckForm,
    SpotSampleForm,
    WorkItemAssignForm,
    WorkItemCloseForm,
    WorkItemNoteForm,
    WorkItemTransferForm,
)
from staffing.models import Section, SpotCheckSubject, WorkItem
from staffing.selectors import (
    AGE_BUCKETS,
    aging_by_person,
    aging_by_queue,
    approvals_pending,
    callbacks_due,
    complaint_by_pk,
    complaints_escalated,
    complaints_list,
    queue_summaries,
    service_level_of,
    spot_check_questions,
    spot_check_sample,
    spot_check_target,
    spot_checks_list,
    staff_names,
    staff_who_work,
    work_item_history,
    work_items_assigned_to,
    work_items_for_queue,
)
from staffing.tables import ComplaintTable, SpotCheckTable, WorkItemTable


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


# --- Complaints (docs/complaints.md) --------------------------------------------


class ComplaintListView(AllowMixin, SafeExportMixin, SingleTableMixin, FilterView):
    area = Area.WORK_QUEUES
    table_class = ComplaintTable
    filterset_class = ComplaintFilter
    template_name = "staffing/complaints/list.html"
    paginate_by = 50
    export_name = "complaints"

    def get_queryset(self):
        return complaints_list()


@allow(Area.WORK_QUEUES)
def complaint_new(request):
    from accounts.selectors import account_by_number

    form = ComplaintForm(
        request.POST or None, initial={"account_number": request.GET.get("account", "")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        account = None
        if data["account_number"]:
            account = account_by_number(data["account_number"].strip())
            if account is None:
                form.add_error("account_number", "No account has this number.")
        if not form.errors:
            try:
                complaint = services.complaint_open(
                    account=account,
                    customer_name=data["customer_name"],
                    channel=data["channel"],
                    category=data["category"],
                    description=data["description"],
                    by=request.user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Complaint #{complaint.pk} recorded.")
                return redirect(complaint)
    status = 400 if request.method == "POST" else 200
    return render(request, "staffing/complaints/new.html", {"form": form}, status=status)


def _complaint(pk):
    complaint = complaint_by_pk(pk)
    if complaint is None:
        raise Http404("No such complaint.")
    return complaint


def _complaint_page(request, complaint, *, status=200, **forms):
    return render(
        request,
        "staffing/complaints/detail.html",
        {
            "complaint": complaint,
            "steps": complaint.steps.select_related("by"),
            "may_act": services.complaint_may_act(request.user, complaint),
            "note_form": forms.get("note_form") or ComplaintTextForm(),
            "respond_form": forms.get("respond_form") or ComplaintTextForm(),
            "escalate_form": forms.get("escalate_form") or ComplaintEscalateForm(),
            "close_form": forms.get("close_form") or ComplaintCloseForm(),
        },
        status=status,
    )


@allow(Area.WORK_QUEUES)
def complaint(request, pk):
    return _complaint_page(request, _complaint(pk))


# Each action: its form, the service it calls, what it is called on the page.
_COMPLAINT_ACTIONS = {
    "note": (ComplaintTextForm, services.complaint_note, "note_form", "Note added."),
    "respond": (ComplaintTextForm, services.complaint_respond, "respond_form", "Response sent."),
    "escalate": (
        ComplaintEscalateForm,
        services.complaint_escalate,
        "escalate_form",
        "Escalated.",
    ),
    "close": (ComplaintCloseForm, services.complaint_close, "close_form", "Complaint closed."),
}


@allow(Area.WORK_QUEUES)
@require_POST
def complaint_act(request, pk, action):
    if action not in _COMPLAINT_ACTIONS:
        raise Http404("No such action.")
    form_class, service, name, done = _COMPLAINT_ACTIONS[action]
    complaint = _complaint(pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(complaint_id=complaint.pk, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(complaint)
    return _complaint_page(request, _complaint(pk), status=400, **{name: form})


# --- Spot checks (docs/spot_checks.md) -----------------------------------------


class SpotCheckListView(AllowMixin, SafeExportMixin, SingleTableMixin, FilterView):
    """The checks recorded, and a fresh sample of done work to check."""

    area = Area.STAFFING
    table_class = SpotCheckTable
    filterset_class = SpotCheckFilter
    template_name = "staffing/spot_checks/list.html"
    paginate_by = 50
    export_name = "spot-checks"

    def get_queryset(self):
        return spot_checks_list()

    def get_context_data(self, **kwargs):
        from datetime import timedelta

        from mesa_cs.lib.dates import today

        bound = "sample-subject" in self.request.GET
        form = SpotSampleForm(self.request.GET if bound else None, prefix="sample")
        subject, days = "work_item", 7
        if bound and form.is_valid():
            subject, days = form.cleaned_data["subject"], form.cleaned_data["days"]
        sample = spot_check_sample(subject, since=today() - timedelta(days=days))
        return super().get_context_data(
            sample_form=form if bound else SpotSampleForm(prefix="sample"),
            sample=sample,
            sample_subject=subject,
            names=staff_names({row["staff_id"] for row in sample}),
            **kwargs,
        )


def _spot_target(subject, object_id):
    if subject not in SpotCheckSubject.values:
        raise Http404("No such kind of work.")
    target = spot_check_target(subject, object_id)
    if target is None:
        raise Http404("No such piece of work.")
    return target


@allow(Area.STAFFING)
def spot_check(request, subject, object_id):
    target = _spot_target(subject, object_id)
    questions = spot_check_questions(subject)
    form = SpotCheckForm(request.POST or None, questions=questions)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                check = services.spot_check_record(
                    subject=subject,
                    object_id=object_id,
                    passed={int(v) for v in form.cleaned_data["passed"]},
                    comment=form.cleaned_data["comment"],
                    by=request.user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Spot check recorded: {check.score} %.")
                return redirect("staffing:spot_checks")
    context = {
        "subject": SpotCheckSubject(subject),
        "target": target,
        "staff_name": staff_names({target.staff_id}).get(target.staff_id, ""),
        "form": form,
    }
    return render(request, "staffing/spot_checks/check.html", context, status=status)


# --- Section dashboards (docs/dashboards.md) -----------------------------------


@allow(Area.STAFFING)
def dashboard(request, section):
    from mesa_cs.lib.charts import column_chart
    from mesa_cs.lib.dashboards import measures_for, week_starts
    from mesa_cs.lib.dates import today

    try:
        section = Section(section)
    except ValueError as exc:
        raise Http404("No such section.") from exc
    on = today()
    weeks = week_starts(on)
    labels = [f"{w:%m/%d}" for w in weeks]
    rows = []
    for n, measure in enumerate(measures_for(section)):
        trend = measure.weekly(weeks)
        rows.append(
            {
                "measure": measure,
                "today": measure.today(on),
                "week": trend[-1],
                "trend": trend,
                # Nothing in 13 weeks: said in words, not drawn as an empty chart.
                "chart": column_chart(
                    f"{measure.label}, by week",
                    labels,
                    [(measure.label, trend)],
                    money=measure.money,
                )
                if any(trend)
                else None,
                "chart_id": f"chart-{n}",
            }
        )
    context = {
        "section": section,
        "sections": list(Section),
        "rows": rows,
        "people": aging_by_person(on, section),
        "buckets": [label for _, _, label in AGE_BUCKETS],
        "first_week": weeks[0],
        "labels": labels,
    }
    return render(request, "staffing/dashboard.html", context)
