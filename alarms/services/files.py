"""What both alarm imports do with the bytes they are given."""

from __future__ import annotations

from mesa_cs.lib.imports import too_large


def decoded(content: bytes) -> tuple[str, str]:
    """The file's text and why it cannot be read at all ("" when it can)."""
    refusal = too_large(len(content))
    if refusal:
        return "", refusal
    try:
        return content.decode("utf-8-sig"), ""
    except UnicodeDecodeError as exc:
        return "", f"the file is not UTF-8 text (byte {exc.start + 1})"


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
