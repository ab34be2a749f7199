"""Who works route production and its reports: EMS clerks and the leads.
The Contact Center's clerks, who see Solid Waste for its calls, do not
(docs/roles.md, docs/solid_waste_production.md)."""

from mesa_cs.lib.roles import Role

PRODUCTION_ROLES = frozenset({Role.EMS, Role.SUPERVISOR, Role.ADMINISTRATOR})

# Containers are delivered, removed and stopped by EMS, which keeps the
# inventory; a Contact Center clerk may book a caller's one-time order (the
# rules refuse what is not allowed), so orders admit the whole area.
CONTAINER_ROLES = PRODUCTION_ROLES
ORDER_ROLES = frozenset({Role.EMS, Role.CLERK, Role.SUPERVISOR, Role.ADMINISTRATOR})

# An order's end (done by the route, or cancelled with its charge reversed)
# is EMS's to record: the section that dispatches the routes and keeps the
# inventory. A Contact Center clerk who takes a caller's cancellation passes
# it to EMS.
ORDER_CLOSE_ROLES = CONTAINER_ROLES

# Routes, trucks and crew are the section's setup: its supervisors (and
# Administrators) add and change them; EMS clerks read them with production.
SETUP_ROLES = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR})
