"""The City of Mesa solid-waste rules EMS staff decide by, in one place, so
every screen where such a decision is made (special rate codes today; bulk
pickup eligibility and the green barrel minimum when those screens come)
shows the same words (docs/special_rate_codes.md, "Ordinance references").

The project's facts (shared/domain/mesa_facts.md, "Solid waste (EMS)")
give these rules as City of Mesa's but record no City Code chapter or
section for them, so each is cited by the City only; no section number is
made up. When the section numbers are known, ``citation`` is where they go.
"""

from __future__ import annotations

from dataclasses import dataclass

CITATION = "City of Mesa solid waste rules (section number not on record)"


@dataclass(frozen=True)
class Reference:
    key: str
    topic: str
    rule: str
    citation: str = CITATION


REFERENCES: tuple[Reference, ...] = (
    Reference(
        "residential_barrels",
        "Residential barrel service",
        "Weekly black barrel collection in 60 or 90 gallons; the blue recycling "
        "barrel is included.",
    ),
    Reference(
        "green_barrel_minimum",
        "Green barrel minimum",
        "The green (yard waste) barrel is 90 gallons at $6.01 a month with a 6-month minimum.",
    ),
    Reference(
        "bulk_pickup",
        "Bulk pickup eligibility",
        "Bulk pickup is $29.00 a load (4 × 8 × 4 ft); the past-due balance is paid first.",
    ),
    Reference(
        "landfill_use",
        "Landfill use program",
        "$15.00 a load up to 2,000 lb, once a month.",
    ),
)

BY_KEY = {ref.key: ref for ref in REFERENCES}


def references(*keys: str) -> tuple[Reference, ...]:
    """The references named (all of them when none is named), in the order
    asked; an unknown key is a programming slip and raises KeyError."""
    if not keys:
        return REFERENCES
    return tuple(BY_KEY[key] for key in keys)
