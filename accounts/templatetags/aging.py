from django import template

from accounts.selectors.ledger import AGING_LABELS

register = template.Library()


@register.filter
def aging_label(bucket: str) -> str:
    """The heading of an aging bucket ("1–30 days"), wherever aging is shown."""
    return AGING_LABELS.get(bucket, bucket)


@register.simple_tag
def aging_headings() -> list[str]:
    return list(AGING_LABELS.values())
