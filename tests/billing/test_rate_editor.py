"""The rate editor (issue 15 item 7, docs/rate_editor.md): a draft started
from the current version, edited as rows, previewed, saved and put in force;
a version that priced an issued bill never changes; export_rates writes back
what was entered; only the roles of the Rate book area use it."""

from datetime import date
from io import StringIO

import pytest
import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from billing.models import RateComponent, RateVersion
from billing.rules.engine import BillInput, calculate
from billing.rules.ratebook import parse_ratebook, ratebook_to_data, shipped_ratebook
from billing.services import rate_versions as editor
from billing.services.rates import ratebook_from_db, ratebook_load, version_is_billed
from mesa_cs.lib.roles import Role
from tests.billing.rate_editor_helpers import card_prefix, editor_form, issued_bill

pytestmark = pytest.mark.django_db

NEXT = date(2027, 1, 1)
EDITORS = {Role.BILLING, Role.EMS, Role.SUPERVISOR, Role.ADMINISTRATOR}


@pytest.fixture(autouse=True)
def rates():
    ratebook_load(shipped_ratebook())


def _version(code, effective):
    return RateVersion.objects.get(schedule__code=code, effective=effective)


def _specs(version):
    return [c.spec for c in version.components.order_by("position")]


def _water_specs_with(price_3_to_7="3.60"):
    specs = _specs(_version("W1.1", date(2026, 2, 1)))
    specs[1]["blocks"][1]["price"] = price_3_to_7
    return specs


# --- services ------------------------------------------------------------------


def test_a_new_version_starts_as_a_draft_copy_that_prices_nothing(role_users):
    draft = editor.rate_version_start(
        schedule_code="W1.1", effective=NEXT, by=role_users[Role.BILLING]
    )
    assert draft.is_draft and draft.started_from == _version("W1.1", date(2026, 2, 1))
    assert _specs(draft) == _specs(draft.started_from)
    assert [v.effective for v in ratebook_from_db().schedules["W1.1"].versions] == [
        date(2025, 2, 1),
        date(2026, 2, 1),
    ]
    # Starting it twice opens the same draft.
    again = editor.rate_version_start(
        schedule_code="W1.1", effective=NEXT, by=role_users[Role.BILLING]
    )
    assert again.pk == draft.pk


@pytest.mark.parametrize(
    ("effective", "message"),
    [
        (date(2026, 2, 1), "must be after 02/01/2026"),
        (date(2025, 12, 1), "must be after 02/01/2026"),
        (date(2026, 11, 5), "cover service through 11/10/2026"),
        (date(2031, 1, 1), "more than three years ahead"),
    ],
)
def test_a_new_version_starts_after_the_current_one_and_the_last_day_billed(
    role_users, effective, message
):
    issued_bill("W1.1", date(2026, 10, 10), date(2026, 11, 10))
    with pytest.raises(ValidationError) as refused:
        editor.rate_version_start(
            schedule_code="W1.1", effective=effective, by=role_users[Role.BILLING]
        )
    assert message in refused.value.message_dict["effective"][0]
    assert not RateVersion.objects.filter(status=RateVersion.Status.DRAFT).exists()


def test_a_version_that_priced_an_issued_bill_cannot_change(role_users):
    billed = _version("W1.1", date(2026, 2, 1))
    issued_bill("W1.1", date(2026, 2, 10), date(2026, 3, 12), version=billed)
    before = _specs(billed)
    with pytest.raises(ValidationError, match="has priced issued bills and cannot change"):
        editor.rate_version_save(
            version_id=billed.pk, components=_water_specs_with("9.99"), by=role_users[Role.BILLING]
        )
    assert _specs(billed) == before


def test_history_bills_without_lines_lock_the_versions_their_days_fall_in():
    # Bills brought over from the old system name no rate version.
    issued_bill("SW1.1", date(2026, 1, 10), date(2026, 2, 9), utility="solid_waste")
    assert version_is_billed(_version("SW1.1", date(2025, 2, 1)))
    assert version_is_billed(_version("SW1.1", date(2026, 2, 1)))
    assert not version_is_billed(_version("W1.1", date(2026, 2, 1)))


def test_an_unbilled_version_in_force_can_be_corrected(role_users):
    version = _version("W1.1", date(2026, 2, 1))
    editor.rate_version_save(
        version_id=version.pk, components=_water_specs_with("3.50"), by=role_users[Role.BILLING]
    )
    blocks = ratebook_from_db().schedules["W1.1"].versions[1].components[1].blocks
    assert str(blocks[1].price) == "3.50"


def test_saving_names_the_row_and_field_that_is_wrong(role_users):
    draft = editor.rate_version_start(
        schedule_code="W1.1", effective=NEXT, by=role_users[Role.BILLING]
    )
    specs = _water_specs_with()
    specs[1]["blocks"][2]["upto"] = "5"  # below the block before (7)
    specs[2]["of"] = "Meter charge"  # no such component above it
    with pytest.raises(ValidationError) as refused:
        editor.rate_version_save(version_id=draft.pk, components=specs, by=role_users[Role.BILLING])
    assert "Component 2 'Water usage': tiered block limits must rise" in refused.value.messages
    specs[1]["blocks"][2]["upto"] = "15"
    with pytest.raises(ValidationError) as refused:
        editor.rate_version_save(version_id=draft.pk, components=specs, by=role_users[Role.BILLING])
    assert refused.value.messages == [
        "Component 3 'Limited income senior discount': “Of” must name a component above it "
        "('Meter charge' is not one)"
    ]
    specs[1]["blocks"][1]["price"] = 3.6  # a float is refused by the rate book's parser
    with pytest.raises(ValidationError, match="quoted string"):
        editor.rate_version_save(version_id=draft.pk, components=specs, by=role_users[Role.BILLING])


def test_an_edited_version_round_trips_through_export_and_load(role_users, tmp_path):
    by = role_users[Role.BILLING]
    draft = editor.rate_version_start(schedule_code="W1.1", effective=NEXT, by=by)
    specs = _water_specs_with("3.60")
    specs[0]["by_meter_size"]["3/4"] = "31.95"
    specs[1]["blocks"].insert(4, {"upto": "30", "price": "6.75"})
    specs.insert(3, {"type": "fixed", "name": "Drought surcharge", "amount": "2.5",
                     "season": "summer", "months": [7, 8]})  # fmt: skip
    editor.rate_version_save(version_id=draft.pk, components=specs, by=by)
    editor.rate_version_put_in_force(version_id=draft.pk, by=by)

    target = tmp_path / "export.yaml"
    call_command("export_rates", str(target))
    exported = yaml.safe_load(target.read_text())
    water = next(s for s in exported["schedules"] if s["code"] == "W1.1")
    assert water["versions"][-1] == {"effective": "2027-01-01", "components": specs}
    rows = {c.pk: c.spec for c in RateComponent.objects.all()}

    out = StringIO()
    call_command("load_rates", str(target), "--json", stdout=out)
    report = yaml.safe_load(out.getvalue())
    assert report["versions_unchanged"] == 20
    assert report["versions_created"] == report["versions_replaced"] == 0
    assert {c.pk: c.spec for c in RateComponent.objects.all()} == rows
    assert parse_ratebook(exported) == ratebook_from_db()
    assert ratebook_to_data(ratebook_from_db()) == exported


def test_a_version_put_in_force_prices_from_its_date(role_users):
    by = role_users[Role.BILLING]
    draft = editor.rate_version_start(schedule_code="SW1.1", effective=NEXT, by=by)
    specs = _specs(draft)
    specs[0]["amount"] = "31.98"
    editor.rate_version_save(version_id=draft.pk, components=specs, by=by)
    bill = BillInput(schedule="SW1.1", start=date(2027, 1, 5), end=date(2027, 2, 4))
    assert str(calculate(ratebook_from_db(), bill).total) == "30.90"
    editor.rate_version_put_in_force(version_id=draft.pk, by=by)
    assert str(calculate(ratebook_from_db(), bill).total) == "31.98"
    december = BillInput(schedule="SW1.1", start=date(2026, 11, 5), end=date(2026, 12, 5))
    assert str(calculate(ratebook_from_db(), december).total) == "30.90"


def test_ems_changes_only_solid_waste_rates(role_users):
    ems = role_users[Role.EMS]
    with pytest.raises(PermissionDenied):
        editor.rate_version_start(schedule_code="W1.1", effective=NEXT, by=ems)
    draft = editor.rate_version_start(schedule_code="SW1.2", effective=NEXT, by=ems)
    assert draft.created_by == ems
    water = _version("W1.1", date(2026, 2, 1))
    with pytest.raises(PermissionDenied):
        editor.rate_version_save(version_id=water.pk, components=_specs(water), by=ems)


def test_a_draft_can_be_discarded_but_a_version_in_force_cannot(role_users):
    by = role_users[Role.BILLING]
    draft = editor.rate_version_start(schedule_code="W1.1", effective=NEXT, by=by)
    editor.rate_version_discard(version_id=draft.pk, by=by)
    assert not RateVersion.objects.filter(pk=draft.pk).exists()
    with pytest.raises(ValidationError, match="Only a draft"):
        editor.rate_version_discard(version_id=_version("W1.1", date(2026, 2, 1)).pk, by=by)


# --- pages ---------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_the_rate_book_is_open_to_billing_ems_and_the_leads(client_as, role):
    pages = [
        reverse("billing:rates"),
        reverse("billing:rate_schedule", args=["SW1.1"]),
        reverse("billing:rate_version", args=[_version("SW1.1", date(2026, 2, 1)).pk]),
    ]
    client = client_as(role)
    for url in pages:
        assert client.get(url).status_code == (200 if role in EDITORS else 403), url
    start = client.post(
        reverse("billing:rate_version_start", args=["SW1.1"]), {"effective": "2027-01-01"}
    )
    assert start.status_code == (302 if role in EDITORS else 403)
    assert RateVersion.objects.filter(status="draft").exists() == (role in EDITORS)


def test_ems_sees_water_rates_but_cannot_change_them(client_as):
    client = client_as(Role.EMS)
    page = client.get(reverse("billing:rate_schedule", args=["W1.1"])).content.decode()
    assert "Start new version from current" not in page
    assert "EMS changes only the solid-waste schedules" in page
    water = _version("W1.1", date(2026, 2, 1))
    assert client.get(reverse("billing:rate_version_edit", args=[water.pk])).status_code == 403
    start = client.post(
        reverse("billing:rate_version_start", args=["W1.1"]), {"effective": "2027-01-01"}
    )
    assert start.status_code == 403
    page = client.get(reverse("billing:rate_schedule", args=["SW1.1"])).content.decode()
    assert "Start new version from current" in page


def test_the_editor_page_refuses_to_change_a_billed_version(client_as):
    billed = _version("W1.1", date(2026, 2, 1))
    issued_bill("W1.1", date(2026, 2, 10), date(2026, 3, 12), version=billed)
    client = client_as(Role.BILLING)
    url = reverse("billing:rate_version_edit", args=[billed.pk])
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("billing:rate_version", args=[billed.pk])
    page = response.content.decode()
    assert "has priced issued bills and cannot change" in page
    assert "priced issued bills, so it is locked" in page
    assert f'href="{url}"' not in page
    before = _specs(billed)
    posted = client.post(url, {"action": "save", "c-TOTAL_FORMS": "0", "c-INITIAL_FORMS": "0"})
    assert posted.status_code == 302
    assert _specs(billed) == before
    schedule = client.get(reverse("billing:rate_schedule", args=["W1.1"])).content.decode()
    assert "Locked: priced issued bills" in schedule


def test_a_draft_is_edited_previewed_and_saved_as_rows(client_as):
    client = client_as(Role.BILLING)
    client.post(reverse("billing:rate_version_start", args=["W1.1"]), {"effective": "2027-01-01"})
    draft = RateVersion.objects.get(status="draft")
    url = reverse("billing:rate_version_edit", args=[draft.pk])
    page = client.get(url).content.decode()
    assert 'id="preview-table"' in page  # the first look is previewed already
    data = editor_form(page)
    usage = card_prefix(data, "Water usage")
    assert data[f"{usage}-b-1-price"] == "3.48"
    data[f"{usage}-b-1-price"] = "3.60"
    data.update({"p-usages": "5, 10", "p-meter_size": "3/4", "action": "preview"})
    preview = client.post(url, data)
    html = preview.content.decode()
    assert preview.status_code == 200
    # 5 kgal: 30.40 + 2 × 3.48 = 37.36 + 8.30 % tax = 40.46 now; 2 × 3.60 → 40.72 after.
    assert "$40.46" in html and "$40.72" in html and "$0.26" in html
    assert _specs(draft)[1]["blocks"][1]["price"] == "3.48"  # a preview saves nothing

    data = editor_form(html)
    data[f"{usage}-b-2-upto"] = "6"
    data["action"] = "save"
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "Component 2 (Water usage), block 3, Up to: Must be more than the block above (7)." in (
        refused.content.decode()
    )
    data[f"{usage}-b-2-upto"] = "15"
    saved = client.post(url, data)
    assert saved.status_code == 302
    assert _specs(RateVersion.objects.get(pk=draft.pk))[1]["blocks"][1] == {
        "upto": "7",
        "price": "3.60",
    }
    client.post(reverse("billing:rate_version_put_in_force", args=[draft.pk]))
    assert RateVersion.objects.get(pk=draft.pk).status == RateVersion.Status.IN_FORCE


def test_a_component_added_and_one_removed_on_the_page(client_as):
    client = client_as(Role.SUPERVISOR)
    client.post(reverse("billing:rate_version_start", args=["S1.1"]), {"effective": "2027-01-01"})
    draft = RateVersion.objects.get(status="draft")
    url = reverse("billing:rate_version_edit", args=[draft.pk])
    data = editor_form(client.get(url).content.decode())
    new = "c-2"  # the blank card after the two components
    data.update({f"{new}-type": "tax", f"{new}-name": "Environmental fee", f"{new}-percent": "1.5",
                 f"{new}-ORDER": "3", f"{card_prefix(data, 'Service charge')}-amount": "28.00",
                 "action": "save"})  # fmt: skip
    assert client.post(url, data).status_code == 302
    assert [(s["name"], s["type"]) for s in _specs(RateVersion.objects.get(pk=draft.pk))] == [
        ("Service charge", "fixed"),
        ("Wastewater volume", "per_unit"),
        ("Environmental fee", "tax"),
    ]
    data = editor_form(client.get(url).content.decode())
    data[f"{card_prefix(data, 'Environmental fee')}-DELETE"] = "on"
    data["action"] = "save"
    assert client.post(url, data).status_code == 302
    assert len(_specs(RateVersion.objects.get(pk=draft.pk))) == 2
    assert _specs(draft)[0]["amount"] == "28.00"
