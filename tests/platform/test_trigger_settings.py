"""The trigger helpers mesa_cs/lib/trigger_settings.py installs in place of
pgtrigger's and pghistory's: no subtransaction for each row, the same
answers."""

import pghistory
import pgtrigger
import pytest
from django.db import connection
from pghistory.models import Events

from staffing.models import Section, WorkItem
from staffing.services import work_item_open

pytestmark = pytest.mark.django_db


def _source(function: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = %s", [function])
        (source,) = cursor.fetchone()
    return source


@pytest.mark.parametrize("function", ["_pgtrigger_should_ignore", "_pgh_attach_context"])
def test_after_migrate_the_helpers_read_their_setting_without_an_exception_block(function):
    source = _source(function)
    assert "current_setting(" in source and ", true)" in source
    assert "EXCEPTION" not in source.upper()


def _should_ignore(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT _pgtrigger_should_ignore(%s)", [name])
        return cursor.fetchone()[0]


def test_should_ignore_answers_for_a_missing_a_set_and_a_reset_setting():
    assert _should_ignore("pgtrigger_insert_insert_x") is False  # never set
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('pgtrigger.ignore', '{a,b}', true)")
    assert _should_ignore("a") is True and _should_ignore("c") is False
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('pgtrigger.ignore', '', true)")
    assert _should_ignore("a") is False  # set earlier, now empty


def test_an_ignored_insert_audit_is_skipped_and_others_are_recorded():
    with pgtrigger.ignore("staffing.WorkItem:insert_insert"):
        work_item_open(kind="t", section=Section.CREDIT, title="Not audited")
    loud = work_item_open(kind="t", section=Section.CREDIT, title="Audited")
    inserted = set(
        Events.objects.filter(pgh_obj_model="staffing.WorkItem", pgh_label="insert").values_list(
            "pgh_obj_id", flat=True
        )
    )
    assert inserted == {str(loud.pk)}, inserted


def test_an_audited_change_carries_its_context_and_one_outside_carries_none():
    # Outside first: pghistory sets its context for the rest of the
    # transaction, and the test runs in one.
    outside = work_item_open(kind="t", section=Section.CREDIT, title="Outside")
    WorkItem.objects.filter(pk=outside.pk).update(title="Outside, changed")
    with pghistory.context(reason="testing"):
        inside = work_item_open(kind="t", section=Section.CREDIT, title="Inside")
    events = {
        (e.pgh_obj_id, e.pgh_label): e
        for e in Events.objects.filter(pgh_obj_model="staffing.WorkItem")
    }
    assert events[(str(inside.pk), "insert")].pgh_context["reason"] == "testing"
    assert events[(str(outside.pk), "insert")].pgh_context is None
    assert events[(str(outside.pk), "update")].pgh_context is None
