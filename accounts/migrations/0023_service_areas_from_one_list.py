"""Service areas from the one list (accounts.models.ServiceArea).

Premises written before the list existed carry an area spelled their own way
("EAST" from the demo's start-service orders, beside "Central" from the city
load). An area that matches a listed one but for case gets the listed spelling;
any other takes the area most premises of its ZIP are in (the read route the
start-service rule already uses). A premise whose ZIP has no listed area keeps
what it has, for a person to decide."""

from django.db import migrations
from django.db.models import Count

AREAS = ("Central", "Northeast", "Southeast", "West")


def to_the_list(apps, schema_editor):
    Premise = apps.get_model("accounts", "Premise")
    by_case = {area.lower(): area for area in AREAS}
    odd = Premise.objects.exclude(service_area="").exclude(service_area__in=AREAS)
    for value in odd.order_by().values_list("service_area", flat=True).distinct():
        listed = by_case.get(value.strip().lower())
        if listed:
            Premise.objects.filter(service_area=value).update(service_area=listed)
    odd = Premise.objects.exclude(service_area="").exclude(service_area__in=AREAS)
    for zip_code in odd.order_by().values_list("zip_code", flat=True).distinct():
        usual = (
            Premise.objects.filter(zip_code=zip_code, service_area__in=AREAS)
            .values("service_area")
            .annotate(n=Count("id"))
            .order_by("-n", "service_area")
            .values_list("service_area", flat=True)
            .first()
        )
        if usual:
            odd.filter(zip_code=zip_code).update(service_area=usual)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0022_service_area_choices")]

    operations = [migrations.RunPython(to_the_list, migrations.RunPython.noop)]
