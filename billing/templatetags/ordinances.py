"""``{% ordinance_references "bulk_pickup" ... %}``: the solid-waste rules a
decision rests on, as one panel any page can include (billing.rules.ordinances)."""

from django import template

from billing.rules.ordinances import references

register = template.Library()


@register.inclusion_tag("billing/_ordinance_references.html")
def ordinance_references(*keys):
    return {"references": references(*keys)}
