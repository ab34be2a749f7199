"""Every URL admits exactly the roles the matrix gives its area."""

from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mesa_cs.lib.roles import (
    AREA_ROLES,
    ROLE_ABBREVIATIONS,
    Access,
    Role,
    matrix_markdown,
    writes_markdown,
)
from tests.factories import AccountFactory, WorkItemFactory

PUBLIC = {"login", "logout", "health"}


def walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue  # Django admin has its own staff check, tested below
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", entry


def url_patterns():
    return sorted(walk(get_resolver().url_patterns), key=lambda pair: pair[0])


@pytest.fixture
def sample_kwargs(db):
    account = AccountFactory()
    item = WorkItemFactory(account=account)
    return {
        "accounts:detail": {"number": account.number},
        "accounts:tab": {"number": account.number, "name": "history"},
        "accounts:history_export": {"number": account.number},
        "accounts:contact_add": {"number": account.number},
        "accounts:note_add": {"number": account.number},
        "accounts:statement_pdf": {"number": account.number},
        "accounts:field_complete": {"pk": 999999},
        "accounts:field_cancel": {"pk": 999999},
        "accounts:field_order": {"number": account.number},
        "accounts:stop": {"number": account.number},
        "credit:deposit_dispute": {"pk": 999999},
        "credit:notice_batch_pdf": {"pk": 999999},
        "credit:hold_add": {"number": account.number},
        "credit:hold_release": {"pk": 999999},
        "credit:deposit_credit": {"number": account.number},
        "accounts:transfer": {"number": account.number},
        "staffing:queue": {"section": "credit"},
        "staffing:dashboard": {"section": "credit"},
        # Role checks come before the lookup: a missing run or bill is a 404.
        "billing:run": {"pk": 999999},
        "billing:run_progress": {"pk": 999999},
        "billing:run_print_file": {"pk": 999999},
        "billing:read_import": {"pk": 999999},
        "billing:read_import_progress": {"pk": 999999},
        "cashiering:payment_file": {"pk": 999999},
        "cashiering:payment_file_progress": {"pk": 999999},
        "billing:bill": {"pk": 999999},
        "billing:bill_pdf": {"pk": 999999},
        "billing:bill_cancel": {"pk": 999999},
        "billing:report": {"name": "revenue"},
        "billing:rate_schedule": {"code": "NONE"},
        "billing:rate_version_start": {"code": "NONE"},
        "billing:rate_version": {"pk": 999999},
        "billing:rate_version_edit": {"pk": 999999},
        "billing:rate_version_put_in_force": {"pk": 999999},
        "billing:rate_version_discard": {"pk": 999999},
        "billing:special_code": {"code": "NONE"},
        "billing:special_code_assign": {"code": "NONE"},
        "billing:rate_model": {"pk": 999999},
        "billing:rate_model_request": {"pk": 999999},
        "billing:rate_model_pdf": {"pk": 999999},
        "billing:rate_model_xlsx": {"pk": 999999},
        "cashiering:close_drawer": {"pk": 999999},
        "cashiering:receipt": {"pk": 999999},
        "cashiering:receipt_pdf": {"pk": 999999},
        "cashiering:suspense_act": {"pk": 999999, "action": "apply"},
        "cashiering:deposit_slip": {"pk": 999999},
        "cashiering:report": {"name": "payments"},
        "cashiering:payment": {"pk": 999999},
        "cashiering:payment_void": {"pk": 999999},
        "cashiering:payment_transfer": {"pk": 999999},
        "cashiering:refund_decide": {"pk": 999999, "decision": "approve"},
        "billing:high_bill": {"number": account.number},
        "billing:meter_test": {"number": account.number},
        "billing:read_exception_act": {"pk": 999999, "action": "accept"},
        "billing:adjustment_decide": {"pk": 999999, "decision": "approve"},
        "staffing:approval_decide": {"kind": "refund", "pk": 999999},
        "staffing:work_item": {"pk": item.pk},
        "staffing:work_item_assign_to_me": {"pk": item.pk},
        "staffing:work_item_note": {"pk": item.pk},
        "staffing:work_item_close": {"pk": item.pk},
        "staffing:work_item_assign": {"pk": item.pk},
        "staffing:complaint": {"pk": 999999},
        "staffing:spot_check": {"subject": "work_item", "object_id": 999999},
        "staffing:complaint_act": {"pk": 999999, "action": "note"},
        "staffing:work_item_transfer": {"pk": item.pk},
        "audit_trail": {"app_label": "staffing", "model_name": "workitem", "pk": item.pk},
        "accounts:letter_template_edit": {"pk": 999999},
        "accounts:letter_template_preview": {"pk": 999999},
        "accounts:letter_new": {"number": account.number},
        "accounts:letter_pdf": {"number": account.number, "pk": 999999},
        "credit:bankruptcy": {"pk": 999999},
        "credit:bankruptcy_close": {"pk": 999999, "outcome": "discharge"},
        "credit:bankruptcy_new": {"number": account.number},
        "credit:write_off_decide": {"pk": 999999, "decision": "approve"},
        "credit:write_off_account": {"number": account.number},
        "credit:recovery_new": {"number": account.number},
        "credit:referral_recall": {"pk": 999999},
        "credit:referral_new": {"number": account.number},
        "credit:arrangement": {"number": account.number},
        "credit:arrangement_cancel": {"pk": 999999},
        "credit:pledge_new": {"number": account.number},
        "credit:pledge_paid": {"pk": 999999},
        "credit:enrolments": {"number": account.number},
        "credit:enrolment_end": {"pk": 999999},
        "credit:call_log": {"number": account.number},
        "credit:report": {"name": "aging"},
        "alarms:permit": {"number": "AP-999999"},
        "alarms:permit_pdf": {"number": "AP-999999"},
        "alarms:permit_renew": {"number": "AP-999999"},
        "alarms:permit_change": {"number": "AP-999999"},
        "alarms:permit_reinstate": {"number": "AP-999999"},
        "alarms:company": {"pk": 999999},
        "alarms:company_edit": {"pk": 999999},
        "alarms:incident": {"number": "MPD-NONE"},
        "alarms:invoice": {"number": "AI-9999999"},
        "alarms:invoice_pdf": {"number": "AI-9999999"},
        "alarms:appeal": {"pk": 999999},
        "alarms:appeal_schedule": {"pk": 999999},
        "alarms:appeal_decide": {"pk": 999999},
        "solidwaste:premise": {"premise_id": 999999},
        "solidwaste:container_deliver": {"premise_id": 999999},
        "solidwaste:container_remove": {"pk": 999999},
        "solidwaste:green_stop": {"agreement_id": 999999},
        "solidwaste:order_new": {"premise_id": 999999},
        "solidwaste:order_complete": {"pk": 999999},
        "solidwaste:route_edit": {"pk": 999999},
        "solidwaste:truck_edit": {"pk": 999999},
        "solidwaste:crew_member_edit": {"pk": 999999},
        "solidwaste:order_cancel": {"pk": 999999},
        "alarms:report": {"name": "by_address"},
        "alarms:statement_pdf": {"number": "0000000000"},
    }


def test_every_view_states_its_roles():
    unstated = [
        name
        for name, pattern in url_patterns()
        if name not in PUBLIC and not isinstance(getattr(pattern.callback, "access", None), Access)
    ]
    assert unstated == [], f"views that state no roles (use allow/AllowMixin): {unstated}"


def test_docs_show_the_matrix_the_code_enforces():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "roles.md").read_text()
    assert matrix_markdown() in doc


def test_views_never_widen_their_area():
    for _name, pattern in url_patterns():
        access = getattr(pattern.callback, "access", None)
        if access is not None:
            assert access.roles <= AREA_ROLES[access.area]


def _url(name, pattern, sample_kwargs):
    if pattern.pattern.converters:
        assert name in sample_kwargs, f"add sample kwargs for {name} to this test"
        return reverse(name, kwargs=sample_kwargs[name])
    return reverse(name)


def test_anonymous_users_are_sent_to_login(client, sample_kwargs):
    for name, pattern in url_patterns():
        if name in PUBLIC:
            continue
        url = _url(name, pattern, sample_kwargs)
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login") + "?next="), name


def test_each_role_gets_exactly_what_the_matrix_says(client, role_users, sample_kwargs):
    checked = 0
    for name, pattern in url_patterns():
        if name in PUBLIC:
            continue
        url = _url(name, pattern, sample_kwargs)
        access = pattern.callback.access
        for role, user in role_users.items():
            client.force_login(user)
            if role in access.roles:
                response = client.get(url)
                assert response.status_code != 403, (name, role)
                assert response.status_code < 500, (name, role)
                if response.status_code == 302:  # a page may send you on, never to sign in
                    assert not response["Location"].startswith(reverse("login")), (name, role)
            else:
                assert client.get(url).status_code == 403, (name, role)
                assert client.post(url).status_code == 403, (name, role, "POST")
            checked += 1
    assert checked >= 8 * 12


def test_a_user_without_a_role_is_refused_everywhere(client, sample_kwargs):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    for name, pattern in url_patterns():
        if name not in PUBLIC:
            assert client.get(_url(name, pattern, sample_kwargs)).status_code == 403, name


def test_only_administrators_reach_django_admin(client, role_users):
    for role, user in role_users.items():
        client.force_login(user)
        response = client.get("/admin/")
        if role is Role.ADMINISTRATOR:
            assert response.status_code == 200
        else:
            assert response.status_code == 302
            assert "/admin/login/" in response["Location"]


def test_role_groups_exist_with_permissions(db):
    from django.contrib.auth.models import Group

    groups = {group.name: group for group in Group.objects.all()}
    assert set(groups) >= {role.value for role in Role}
    admin_perms = set(groups[Role.ADMINISTRATOR].permissions.values_list("codename", flat=True))
    assert {"change_workitem", "delete_account", "change_user"} <= admin_perms
    cashier_perms = set(
        groups[Role.CASHIER].permissions.values_list("content_type__app_label", "codename")
    )
    assert ("accounts", "view_account") in cashier_perms
    assert ("accounts", "change_account") not in cashier_perms


# --- Writes -------------------------------------------------------------------


def _doc_writes():
    """The rows of docs/roles.md's "Writes" table: (url name, scope, roles)."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "roles.md").read_text()
    section = doc.split("## Writes", 1)[1]
    lines = [line for line in section.splitlines() if line.startswith("| ")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    by_abbreviation = {abbreviation: role for role, abbreviation in ROLE_ABBREVIATIONS.items()}
    roles = [by_abbreviation[cell] for cell in header[3:]]
    rows = []
    for line in lines[1:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if not cells[1].startswith("`"):
            continue
        admitted = {role for role, mark in zip(roles, cells[3:], strict=True) if mark == "✓"}
        rows.append((cells[1].strip("`"), cells[2], frozenset(admitted)))
    return rows


def test_docs_show_the_writes_the_code_enforces():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "roles.md").read_text()
    assert writes_markdown() in doc
    assert {name for name, _, _ in _doc_writes()} >= {
        "accounts:field_complete",
        "staffing:work_item_close",
        "billing:adjustment_decide",
        "credit:hold_add",
        "cashiering:payment_void",
    }


def test_each_role_gets_exactly_the_writes_the_table_says(client, role_users, sample_kwargs):
    rows = _doc_writes()
    assert len(rows) >= 30
    wrong = []
    client.raise_request_exception = False  # list every 500, not only the first
    for name, scope, admitted in rows:
        for role, user in role_users.items():
            # A fresh open item each time: a write that succeeds changes it.
            fresh = {"pk": WorkItemFactory(section=scope).pk} if scope else None
            kwargs = fresh or sample_kwargs.get(name)
            url = reverse(name, kwargs=kwargs)
            client.force_login(user)
            status = client.post(url).status_code
            allowed = status != 403 and status < 500
            if (role in admitted) != allowed or (role not in admitted and status != 403):
                wrong.append((name, scope, role.name, status))
    assert wrong == []


def test_alarm_and_ems_clerks_cannot_complete_field_work(client, role_users):
    from datetime import date

    from accounts.models import FieldActivity, ServicePoint
    from accounts.services.field import field_activity_order
    from tests.factories import agreement, premise

    account = AccountFactory()
    place = premise("2255 E Brown Rd", "85213")
    point = ServicePoint.objects.create(premise=place, utility="water")
    sa = agreement(account, premise_obj=place, service_point=point, status="pending")
    connect = field_activity_order(
        kind="connect",
        account=account,
        premise=place,
        service_point=point,
        agreement=sa,
        scheduled_on=date(2026, 10, 1),
    )
    url = reverse("accounts:field_complete", args=[connect.pk])
    for role in (Role.ALARMS, Role.EMS, Role.CASHIER):
        client.force_login(role_users[role])
        assert client.post(url, {"completed_on": "2026-10-01", "register": "0"}).status_code == 403
        assert (
            "Enter completion"
            not in client.get(reverse("accounts:dispatch"), {"day": "2026-10-01"}).content.decode()
        )
    assert FieldActivity.objects.get(pk=connect.pk).status == "pending"


def test_only_the_owning_section_closes_a_work_item(client, role_users):
    from staffing.models import Section, WorkItem

    item = WorkItemFactory(section=Section.CONTACT_CENTER)
    url = reverse("staffing:work_item_close", args=[item.pk])
    for role in (Role.CREDIT, Role.ALARMS, Role.EMS, Role.BILLING):
        client.force_login(role_users[role])
        assert client.post(url, {"outcome": "Not mine"}).status_code == 403
        page = client.get(reverse("staffing:work_item", args=[item.pk])).content.decode()
        assert "Close work item" not in page and "Assign to me" not in page
    assert not WorkItem.objects.get(pk=item.pk).is_closed
    client.force_login(role_users[Role.CLERK])
    assert client.post(url, {"outcome": "Called back"}).status_code == 302
    assert WorkItem.objects.get(pk=item.pk).is_closed


def test_the_audit_trail_serves_only_audited_models(client, role_users):
    client.force_login(role_users[Role.SUPERVISOR])
    user = role_users[Role.CLERK]
    for app_label, model_name, pk in (
        ("auth", "user", user.pk),
        ("auth", "group", 1),
        ("sessions", "session", "x"),
        ("contenttypes", "contenttype", 1),
        ("pghistory", "context", 1),
        ("staffing", "workitem", "not-a-number"),
    ):
        url = reverse("audit_trail", args=[app_label, model_name, pk])
        assert client.get(url).status_code == 404, (app_label, model_name)
    item = WorkItemFactory()
    assert (
        client.get(reverse("audit_trail", args=["staffing", "workitem", item.pk])).status_code
        == 200
    )
