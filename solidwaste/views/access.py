"""Who works route production and its reports: EMS clerks and the leads.
The Contact Center's clerks, who see Solid Waste for its calls, do not
(docs/roles.md, docs/solid_waste_production.md)."""

from mesa_cs.lib.roles import Role

PRODUCTION_ROLES = frozenset({Role.EMS, Role.SUPERVISOR, Role.ADMINISTRATOR})
