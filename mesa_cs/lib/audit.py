"""Audit context: who made a change and from which page.

pghistory's triggers copy every tracked row change into an event table; the
context attached here (user, username, url) is stored with each event.
"""

import pghistory
from pghistory.middleware import HistoryMiddleware


class AuditContextMiddleware(HistoryMiddleware):
    def get_context(self, request):
        context = super().get_context(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            context["username"] = user.get_username()
        context["url"] = request.get_full_path()[:500]
        return context


def audit_context(**metadata):
    """Context manager for changes made outside a request (commands, tasks)."""
    return pghistory.context(**metadata)


def audited(*, inserts: bool = True):
    """Class decorator: keep every insert, update and delete of the model in its
    event table (the audit trail supervisors read).

    ``inserts=False`` for rows created in bulk by imports (payments): pghistory's
    trigger opens a subtransaction per row, and tens of thousands of them in
    one transaction slow PostgreSQL down badly. Their creation is recorded by
    the import itself; later changes are still audited."""
    trackers = [pghistory.UpdateEvent(), pghistory.DeleteEvent()]
    if inserts:
        trackers.insert(0, pghistory.InsertEvent())
    track = pghistory.track(*trackers)

    def decorator(model):
        tracked = track(model)
        AUDITED_MODELS.add(model._meta.label_lower)
        return tracked

    return decorator


# "app_label.modelname" of every model @audited: the only ones the audit-trail
# page serves (not auth users, sessions or another library's tables).
AUDITED_MODELS: set[str] = set()


def is_audited(model) -> bool:
    return model._meta.label_lower in AUDITED_MODELS
