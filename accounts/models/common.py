from django.db import models


def dates_in_order(name: str, start: str = "starts_on", end: str = "ends_on"):
    """A check that an open-ended date range does not end before it starts."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{end}__isnull": True})
        | models.Q(**{f"{end}__gte": models.F(start)}),
        name=name,
    )
