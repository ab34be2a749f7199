"""Routes, trucks and crew members, kept by EMS supervisors and
administrators (docs/solid_waste_production.md, "Routes, trucks and crew").
Each save is refused, naming the field, when it would leave the rest
inconsistent: a route led by someone who is not a foreman, a foreman made an
operator while crews or routes report to them, a route made inactive while
orders are dispatched to it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from mesa_cs.lib.dates import today
from mesa_cs.lib.luhn import reject_card_numbers
from solidwaste.models import CrewMember, Order, Route, Truck


def _save(model, pk: int | None, fields: dict):
    item = model.objects.select_for_update().get(pk=pk) if pk else model()
    for name, value in fields.items():
        setattr(item, name, value.strip() if isinstance(value, str) else value)
    item.full_clean()
    item.save()
    return item


def _check_foreman(foreman: CrewMember | None, field: str = "foreman") -> None:
    if foreman is not None and (
        foreman.position != CrewMember.Position.FOREMAN or not foreman.active
    ):
        raise ValidationError({field: f"{foreman.name} is not an active foreman."})


@transaction.atomic
def route_save(*, route_id: int | None = None, **fields) -> Route:
    """Add or change a route."""
    reject_card_numbers(name=fields.get("name"))
    fields["code"] = (fields.get("code") or "").strip().upper()
    _check_foreman(fields.get("foreman"))
    if route_id and not fields.get("active", True):
        waiting = Order.objects.filter(
            route_id=route_id, status=Order.Status.OPEN, scheduled_on__gte=today()
        ).count()
        if waiting:
            raise ValidationError(
                {
                    "active": f"{waiting} open order{'s' if waiting != 1 else ''} from today on "
                    "are dispatched to this route; finish or cancel them first."
                }
            )
    return _save(Route, route_id, fields)


@transaction.atomic
def truck_save(*, truck_id: int | None = None, **fields) -> Truck:
    """Add or change a truck."""
    fields["number"] = (fields.get("number") or "").strip().upper()
    return _save(Truck, truck_id, fields)


@transaction.atomic
def crew_member_save(*, member_id: int | None = None, **fields) -> CrewMember:
    """Add or change an equipment operator or a foreman."""
    reject_card_numbers(name=fields.get("name"))
    foreman = fields.get("foreman")
    if foreman is not None and member_id and foreman.pk == member_id:
        raise ValidationError({"foreman": "A crew member does not report to themselves."})
    _check_foreman(foreman)
    if member_id and (
        fields.get("position") != CrewMember.Position.FOREMAN or not fields.get("active", True)
    ):
        crew = CrewMember.objects.filter(foreman_id=member_id, active=True).count()
        routes = Route.objects.filter(foreman_id=member_id, active=True).count()
        if crew or routes:
            field = (
                "active" if fields.get("position") == CrewMember.Position.FOREMAN else "position"
            )
            raise ValidationError(
                {
                    field: f"{crew} active crew member(s) and {routes} active route(s) report "
                    "to this foreman; give them another foreman first."
                }
            )
    return _save(CrewMember, member_id, fields)
