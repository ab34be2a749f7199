"""The dispatch feed and company registrations uploads, and the incidents
with the research list."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from alarms.forms import ResearchForm, UploadForm
from alarms.models import AlarmFile, AlarmPermit
from alarms.selectors import permits as selectors
from alarms.services.feed import feed_import
from alarms.services.registrations import registrations_import
from alarms.services.research import incident_research_resolve
from mesa_cs.lib.forms import add_service_errors
from mesa_cs.lib.roles import Area, allow

IMPORTS = {
    AlarmFile.Kind.FEED: (feed_import, "Dispatch feed", "alarms/feed.html"),
    AlarmFile.Kind.REGISTRATIONS: (
        registrations_import,
        "Permit registrations",
        "alarms/registrations.html",
    ),
}


def _upload(request, kind):
    service, title, template = IMPORTS[kind]
    form = UploadForm(request.POST or None, request.FILES or None)
    summary = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        summary, kept = service(content=upload.read(), filename=upload.name, by=request.user)
        if summary["errors"]:
            messages.warning(request, f"{upload.name}: see the lines listed below.")
        else:
            messages.success(request, f"{upload.name} imported.")
    return render(
        request,
        template,
        {"form": form, "summary": summary, "title": title, "files": selectors.files_list(kind)},
    )


@allow(Area.ALARMS)
def feed(request):
    return _upload(request, AlarmFile.Kind.FEED)


@allow(Area.ALARMS)
def registrations(request):
    return _upload(request, AlarmFile.Kind.REGISTRATIONS)


@allow(Area.ALARMS)
def incident(request, number):
    incident = selectors.incident_page(number)
    if incident is None:
        raise Http404("No such incident.")
    form = ResearchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        permit = None
        if data["permit"].strip():
            permit = AlarmPermit.objects.filter(number=data["permit"].strip().upper()).first()
            if permit is None:
                form.add_error("permit", f"There is no permit {data['permit']}.")
        if not form.errors:
            try:
                incident_research_resolve(
                    incident=incident,
                    by=request.user,
                    permit=permit,
                    holder_name=data["holder_name"],
                    mailing_address=data["mailing_address"],
                    zip_code=data["zip_code"],
                    business=data["business"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Incident {incident.incident_number} researched.")
                return redirect(incident)
    return render(request, "alarms/incident.html", {"incident": incident, "form": form})
