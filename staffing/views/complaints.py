"""Complaints' pages (docs/complaints.md)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from mesa_cs.lib.export import SafeExportMixin
from mesa_cs.lib.forms import add_service_errors
from mesa_cs.lib.roles import AllowMixin, Area, allow
from staffing import services
from staffing.filters import ComplaintFilter
from staffing.forms import (
    ComplaintCloseForm,
    ComplaintEscalateForm,
    ComplaintForm,
    ComplaintNoteForm,
    ComplaintResponseForm,
)
from staffing.selectors import (
    complaint_by_pk,
    complaints_list,
)
from staffing.tables import ComplaintTable


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
            "note_form": forms.get("note_form") or ComplaintNoteForm(),
            "respond_form": forms.get("respond_form") or ComplaintResponseForm(),
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
    "note": (ComplaintNoteForm, services.complaint_note, "note_form", "Note added."),
    "respond": (
        ComplaintResponseForm,
        services.complaint_respond,
        "respond_form",
        "Response sent.",
    ),
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
