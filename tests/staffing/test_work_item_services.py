import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from staffing.models import Section, WorkItem
from staffing.services import (
    work_item_assign,
    work_item_close,
    work_item_note_add,
    work_item_open,
)
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db


def _open(**overrides):
    fields = {
        "kind": "read_exception",
        "section": Section.ACCOUNT_MAINTENANCE,
        "title": "High read",
    }
    return work_item_open(**{**fields, **overrides})


def test_open_records_the_account_and_starts_open():
    account = AccountFactory()
    item = _open(account=account)
    assert item.status == WorkItem.Status.OPEN
    assert item.account == account
    assert list(account.work_items.all()) == [item]


def test_opening_the_same_source_twice_returns_the_first_item():
    first = _open(source_key="read:42")
    second = _open(source_key="read:42", title="High read again")
    assert second.pk == first.pk
    assert WorkItem.objects.count() == 1


def test_a_closed_item_does_not_block_a_new_one_for_the_same_source():
    user = UserFactory()
    first = _open(source_key="read:42")
    work_item_close(item_id=first.pk, closed_by=user, outcome="Re-read ordered")
    second = _open(source_key="read:42")
    assert second.pk != first.pk


def test_open_refuses_an_unknown_section():
    with pytest.raises(ValidationError) as error:
        _open(section="nowhere")
    assert "section" in error.value.message_dict


def test_assign_sets_in_progress_and_close_needs_an_outcome():
    user = UserFactory()
    item = _open()
    work_item_assign(item_id=item.pk, assignee=user)
    item.refresh_from_db()
    assert (item.assignee, item.status) == (user, WorkItem.Status.IN_PROGRESS)
    with pytest.raises(ValidationError) as error:
        work_item_close(item_id=item.pk, closed_by=user, outcome="  ")
    assert "outcome" in error.value.message_dict
    work_item_close(item_id=item.pk, closed_by=user, outcome="Fixed", note="Called customer")
    item.refresh_from_db()
    assert item.is_closed and item.closed_by == user and item.closed_at is not None
    assert [n.text for n in item.notes.all()] == ["Called customer"]


def test_a_closed_item_cannot_be_assigned_or_closed_again():
    user = UserFactory()
    item = _open()
    work_item_close(item_id=item.pk, closed_by=user, outcome="Done")
    with pytest.raises(ValidationError, match="already closed"):
        work_item_assign(item_id=item.pk, assignee=user)
    with pytest.raises(ValidationError, match="already closed"):
        work_item_close(item_id=item.pk, closed_by=user, outcome="Again")


def test_empty_notes_are_refused():
    item = _open()
    with pytest.raises(ValidationError):
        work_item_note_add(item_id=item.pk, author=UserFactory(), text="   ")


def test_the_database_refuses_a_closed_item_without_outcome():
    from django.db import IntegrityError, transaction

    item = _open()
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkItem.objects.filter(pk=item.pk).update(status=WorkItem.Status.CLOSED)


def _race(target, count=2):
    """Run target(i) in `count` threads that start together; collect results."""
    barrier = threading.Barrier(count)
    results, errors = [None] * count, [None] * count

    def run(i):
        try:
            barrier.wait()
            results[i] = target(i)
        except Exception as exc:  # collected and asserted on by the caller
            errors[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_opens_of_one_source_make_one_item():
    results, errors = _race(lambda i: _open(source_key="bill-run:7:account:9").pk, count=4)
    assert errors == [None] * 4
    assert len(set(results)) == 1
    assert WorkItem.objects.filter(source_key="bill-run:7:account:9").count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_closes_close_once():
    users = [UserFactory(), UserFactory()]
    item = _open()
    results, errors = _race(
        lambda i: work_item_close(item_id=item.pk, closed_by=users[i], outcome=f"by {i}").pk
    )
    assert sorted(e is None for e in errors) == [False, True]
    refused = next(e for e in errors if e is not None)
    assert isinstance(refused, ValidationError)
    item.refresh_from_db()
    winner = errors.index(None)
    assert item.closed_by == users[winner] and item.outcome == f"by {winner}"
