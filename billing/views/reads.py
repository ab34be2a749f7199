from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from billing.forms import (
    ReadImportForm,
    ReadRouteForm,
)
from billing.models import ReadImport
from billing.selectors.bills import PAGE, held_reads, read_entry_rows
from billing.services import reads as read_services
from billing.tables import HeldReadTable, held_read_rows
from billing.tasks import read_import
from mesa_cs.lib.export import SafeExportMixin, SafeTableExport
from mesa_cs.lib.roles import BILLING_WORK_ROLES, Area, allow


@allow(Area.BILLING, roles=BILLING_WORK_ROLES)
def reads_entry(request):
    """Keyboard-fast read entry in the route's walk order, a page of meters at
    a time: one field per meter, Tab to the next, Enter saves them all, and
    each row then says what became of its read (saved, or held and why)."""
    source = request.POST if request.method == "POST" else request.GET
    form = ReadRouteForm(source or None)
    context = {"form": form, "rows": [], "total": 0}
    if form.is_valid():
        data = form.cleaned_data
        offset = max(_int(request.GET.get("offset")), 0)
        refused, outcome = _save_reads(request, data) if request.method == "POST" else ({}, None)
        rows, total = read_entry_rows(data["cycle"], data["route"], data["read_on"], offset)
        for row in rows:
            row.typed, row.error = refused.get(row.installation.pk, ("", ""))
        context.update(
            rows=rows,
            total=total,
            offset=offset,
            first=offset + 1,
            last=offset + len(rows),
            previous=max(offset - PAGE, 0) if offset else None,
            next=offset + PAGE if offset + PAGE < total else None,
            saved=request.method == "POST",
            outcome=outcome,
        )
    template = "billing/_reads_rows.html" if request.htmx else "billing/reads_entry.html"
    return render(request, template, context)


def _int(text) -> int:
    try:
        return int(text or 0)
    except ValueError:
        return 0


def _save_reads(request, data) -> tuple[dict[int, tuple[str, str]], dict[str, int]]:
    """Record each typed register of the posted page. Returns what was
    refused, by meter installation (what was typed, why), and how many reads
    were saved, held and refused."""
    from decimal import Decimal, InvalidOperation

    from accounts.models import MeterInstallation

    typed = {
        int(key.removeprefix("register-")): value.strip()
        for key, value in request.POST.items()
        if key.startswith("register-") and key.removeprefix("register-").isdigit() and value.strip()
    }
    refused, outcome = {}, {"saved": 0, "held": 0, "refused": 0}
    installations = MeterInstallation.objects.filter(
        pk__in=typed, removed_on__isnull=True
    ).select_related("meter")
    for installation in installations:
        text = typed[installation.pk]
        try:
            register = Decimal(text)
        except InvalidOperation:
            refused[installation.pk] = (text, "Not a number.")
            continue
        try:
            read = read_services.read_record(
                installation=installation,
                read_on=data["read_on"],
                register=register,
                source="office",
            )
        except ValidationError as exc:
            refused[installation.pk] = (text, " ".join(exc.messages))
        else:
            outcome["held" if read.status == read.Status.EXCEPTION else "saved"] += 1
    outcome["refused"] = len(refused)
    return refused, outcome


@allow(Area.BILLING, roles=BILLING_WORK_ROLES)
def read_exceptions(request):
    from accounts.models import Utility
    from billing.models import ReadHold

    reason = request.GET.get("reason", "")
    utility = request.GET.get("utility", "")
    reason = reason if reason in ReadHold.Reason.values else ""
    utility = utility if utility in Utility.metered() else ""
    export = request.GET.get("_export", "")
    reads = list(held_reads(reason, utility)[: None if export else 200])
    for read in reads:
        read.unit = read_services.REGISTER_UNITS.get(read.installation.meter.utility, "")
    if export in SafeExportMixin.export_formats:
        table = HeldReadTable(held_read_rows(reads))
        return SafeTableExport(export, table).response(f"held-reads.{export}")
    return render(
        request,
        "billing/read_exceptions.html",
        {
            "reads": reads,
            "reason": reason,
            "utility": utility,
            "reasons": ReadHold.Reason.choices,
            "utilities": [(u.value, u.label) for u in Utility if u in Utility.metered()],
        },
    )


@allow(Area.BILLING, roles=BILLING_WORK_ROLES)
@require_POST
def read_exception_act(request, pk, action):
    from decimal import Decimal, InvalidOperation

    from accounts.models import MeterRead

    get_object_or_404(MeterRead, pk=pk)  # a missing read is a 404, not a 500
    try:
        if action == "accept":
            read_services.read_accept(read_id=pk, by=request.user)
            done = "The read was accepted as read."
        elif action == "reread":
            hold = read_services.read_order_reread(read_id=pk, by=request.user)
            done = (
                f"Re-read ordered for {hold.reread.scheduled_on:%m/%d/%Y}: it is on the "
                "crew's field-work list."
            )
        elif action == "replace":
            try:
                register = Decimal(request.POST.get("register", ""))
            except InvalidOperation:
                raise ValidationError("Enter the corrected register as a number.") from None
            read_services.read_replace(read_id=pk, register=register, by=request.user)
            done = f"The read was replaced by {register}."
        else:
            raise Http404("No such action.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    # Back to the list as it was filtered (only the page's own filters, by value).
    from accounts.models import Utility
    from billing.models import ReadHold

    filters = (("reason", ReadHold.Reason.values), ("utility", Utility.metered()))
    kept = {
        name: value for name, allowed in filters if (value := request.POST.get(name, "")) in allowed
    }
    url = reverse("billing:read_exceptions")
    return redirect(f"{url}?{urlencode(kept)}" if kept else url)


@allow(Area.BILLING, roles=BILLING_WORK_ROLES)
def reads_import_view(request):
    form = ReadImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        kept = read_services.read_import_receive(
            content=upload.read(), name=upload.name, imported_by=request.user
        )
        if upload.size > settings.IMPORT_INLINE_MAX_BYTES:
            # Longer than a request may take: a worker imports it while the
            # import's page shows how far it has got.
            read_import.delay_on_commit(kept.pk)
            return redirect("billing:read_import", pk=kept.pk)
        report = read_services.read_import_process(import_id=kept.pk).summary
    return render(
        request,
        "billing/reads_import.html",
        {"form": form, "report": report},
        status=400 if form.errors else 200,
    )


@allow(Area.BILLING, roles=BILLING_WORK_ROLES)
def read_import_detail(request, pk):
    kept = get_object_or_404(ReadImport, pk=pk)
    return render(request, "billing/read_import.html", {"import": kept})


@allow(Area.BILLING, roles=BILLING_WORK_ROLES)
def read_import_progress(request, pk):
    kept = get_object_or_404(ReadImport, pk=pk)
    return render(request, "billing/_read_import_progress.html", {"import": kept})
