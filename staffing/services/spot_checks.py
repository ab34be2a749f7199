"""Spot checks' write (docs/spot_checks.md): score one sampled piece of work."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from mesa_cs.lib.luhn import reject_card_numbers
from staffing.services.work_items import _refuse_unless_lead


@transaction.atomic
def spot_check_record(*, subject: str, object_id: int, passed: set[int], comment: str, by):
    """Score one sampled piece of work on its checklist: the share of the
    active questions met, as a percent to the cent. A lead checks, never
    their own work, and each piece once."""
    from decimal import ROUND_HALF_UP, Decimal

    from staffing.models import SpotCheck, SpotCheckAnswer
    from staffing.selectors import spot_check_questions, spot_check_target

    _refuse_unless_lead(by)
    reject_card_numbers(comment=comment)
    target = spot_check_target(subject, object_id)
    if target is None:
        raise ValidationError("There is no such piece of work to check.")
    if target.staff_id == by.pk:
        raise ValidationError("Nobody spot-checks their own work.")
    if SpotCheck.objects.filter(subject=subject, object_id=object_id).exists():
        raise ValidationError("This has already been spot-checked.")
    questions = spot_check_questions(subject)
    if not questions:
        raise ValidationError("This kind of work has no checklist; an administrator sets one.")
    unknown = passed - {q.pk for q in questions}
    if unknown:
        raise ValidationError("An answer names a question not on the checklist.")
    met = sum(1 for q in questions if q.pk in passed)
    score = (Decimal(100) * met / len(questions)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    check = SpotCheck.objects.create(
        subject=subject,
        object_id=object_id,
        staff_id=target.staff_id,
        checked_by=by,
        score=score,
        comment=comment.strip(),
    )
    SpotCheckAnswer.objects.bulk_create(
        SpotCheckAnswer(spot_check=check, question=q, passed=q.pk in passed) for q in questions
    )
    return check
