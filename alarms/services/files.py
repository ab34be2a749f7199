"""What both alarm imports do with the file they are given: keep it."""

from __future__ import annotations


def file_keep(*, kind: str, content: bytes, filename: str, by=None):
    """Keep the file as given, whatever the import makes of it."""
    import hashlib

    from alarms.models import AlarmFile

    return AlarmFile.objects.create(
        kind=kind,
        filename=filename[:200],
        content=content.decode("utf-8", errors="replace").replace("\x00", ""),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=by,
    )
