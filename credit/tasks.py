from celery import shared_task


# Credited deposits are no longer held, so a second run the same day credits
# nobody twice.
@shared_task(acks_late=True)
def deposits_review_daily() -> dict:
    from django.utils import timezone

    from credit.services.deposits import deposits_review

    report = deposits_review(on=timezone.localdate())
    return {"examined": report.examined, "credited": len(report.credited)}


# A second run for the same date moves nobody (one step per account per day).
@shared_task(acks_late=True)
def collections_daily() -> dict:
    from django.utils import timezone

    from credit.services.collections import collections_run

    return collections_run(on=timezone.localdate()).as_dict()


@shared_task(acks_late=True)
def notice_batches_build(run_on: str) -> list[int]:
    from datetime import date

    from credit.services.notices import notice_batches_build as build

    return build(run_on=date.fromisoformat(run_on))


@shared_task(acks_late=True)
def collections_for(run_on: str) -> dict:
    """A run a representative asked for from the collections page."""
    from datetime import date

    from credit.services.collections import collections_run

    return collections_run(on=date.fromisoformat(run_on)).as_dict()


# Only active arrangements are reviewed and each ends once, so a second run
# the same day changes nothing.
@shared_task(acks_late=True)
def arrangements_review_daily() -> dict:
    from django.utils import timezone

    from credit.services.arrangements import arrangements_review

    return arrangements_review(on=timezone.localdate())


# Only pending pledges expire, once.
@shared_task(acks_late=True)
def pledges_expire_daily() -> int:
    from django.utils import timezone

    from credit.services.assistance import pledges_expire

    return pledges_expire(on=timezone.localdate())
