"""The Alarm Unit's letters, through the shared letters (accounts): each one
keyed by the event that sends it, so nothing is sent twice."""

from __future__ import annotations

from accounts.services.letters_flow import letter_send


def alarm_letter_send(*, account, kind: str, merge: dict, source_key: str, by=None):
    """Send one alarm letter; none when a supervisor has turned its template off."""
    return letter_send(account=account, kind=kind, merge=merge, sent_by=by, source_key=source_key)
