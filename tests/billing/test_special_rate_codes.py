"""Special-billing rate codes (issue 15 item 3, docs/special_rate_codes.md):
EMS makes a solid-waste schedule for an HOA contract (or a multi-family
complex, a City facility) from a base schedule's current version, sets its
prices in the rate editor, puts services on it, and the next bill prices
with it through the same engine and shows its code; with the solid-waste
ordinance references on the screens where such decisions are made."""

import subprocess
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import ServiceAgreement
from billing.models import RateSchedule, RateVersion, SpecialRateCode
from billing.pdf import bill_pdf
from billing.rules.ordinances import REFERENCES, references
from billing.rules.ratebook import shipped_ratebook
from billing.selectors.rate_preview import rate_preview
from billing.services import rate_versions as editor
from billing.services import special_codes as services
from billing.services.bills import bill_issue
from billing.services.rates import ratebook_from_db, ratebook_load
from mesa_cs.lib.roles import Role
from tests.factories import AccountFactory, agreement

pytestmark = pytest.mark.django_db

CODE_ROLES = {Role.BILLING, Role.EMS, Role.SUPERVISOR, Role.ADMINISTRATOR}
EFFECTIVE = date(2026, 11, 1)
CARD = "4111 1111 1111 1111"
REASON = "Desert Vista HOA contract of 10/14/2026: one pickup point for 40 homes"


@pytest.fixture(autouse=True)
def rates():
    ratebook_load(shipped_ratebook())


def _create(by, **overrides):
    fields = {
        "code": "SW-HOA1",
        "name": "Desert Vista HOA barrels",
        "based_on": "SW1.1",
        "kind": SpecialRateCode.Kind.HOA,
        "reason": REASON,
        "effective": EFFECTIVE,
    }
    return services.special_code_create(**{**fields, **overrides}, by=by)


def _in_force_at(special, barrel_price: str, by):
    """Set the draft's barrel price in the rate editor and put it in force."""
    draft = special.schedule.versions.get(status=RateVersion.Status.DRAFT)
    specs = [c.spec for c in draft.components.order_by("position")]
    specs[0]["amount"] = barrel_price
    editor.rate_version_save(version_id=draft.pk, components=specs, by=by)
    return editor.rate_version_put_in_force(version_id=draft.pk, by=by)


def billed_through_october(containers=2):
    """An account with two 90-gallon barrels on SW1.1, billed through
    10/31/2026, so its next bill covers November."""
    account = AccountFactory()
    sa = agreement(account, "solid_waste", "SW1.1", containers=containers)
    october = bill_issue(
        account=account,
        period_end=date(2026, 10, 31),
        bill_on=date(2026, 11, 2),
        book=ratebook_from_db(),
    )
    return account, sa, october


def bill_november(account):
    """The account's next bill, as the bill run issues it."""
    return bill_issue(
        account=account,
        period_end=date(2026, 11, 30),
        bill_on=date(2026, 12, 2),
        book=ratebook_from_db(),
    )


# --- creating a code -------------------------------------------------------------


def test_a_code_starts_as_a_draft_copy_of_the_base_current_version(role_users):
    ems = role_users[Role.EMS]
    special = _create(ems)
    schedule = special.schedule
    base = RateVersion.objects.get(schedule__code="SW1.1", effective=date(2026, 2, 1))
    assert (schedule.code, schedule.utility, schedule.unit) == (
        "SW-HOA1",
        "solid_waste",
        "container",
    )
    assert schedule.customer_class == "residential"
    draft = schedule.versions.get()
    assert draft.is_draft and draft.effective == EFFECTIVE and draft.started_from == base
    assert [c.spec for c in draft.components.all()] == [c.spec for c in base.components.all()]
    assert (special.based_on.code, special.kind, special.reason) == ("SW1.1", "hoa", REASON)
    assert special.created_by == ems
    # A draft prices nothing: the engine's book does not hold the code yet.
    assert "SW-HOA1" not in ratebook_from_db().schedules


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"reason": "  "}, "reason", "Say why"),
        ({"reason": f"Card {CARD} on file"}, "reason", "card number"),
        ({"name": f"HOA {CARD}"}, "name", "card number"),
        ({"effective": None}, "effective", "first day"),
        ({"effective": date(2026, 1, 31)}, "effective", "02/01/2026"),
        ({"effective": date(2026, 12, 1) + timedelta(days=4 * 365)}, "effective", "three years"),
        ({"code": "SW1.1"}, "code", "already a rate schedule SW1.1"),
        ({"code": "w1.1"}, "code", "already a rate schedule W1.1"),
        ({"code": "HOA CODE!"}, "code", "2 to 12 letters"),
        ({"code": "SW-HOA-CONTRACT"}, "code", "2 to 12 letters"),
        ({"based_on": "W1.1"}, "based_on", "solid-waste schedule"),
        ({"kind": "friends"}, "kind", "kind of situation"),
    ],
)
def test_a_code_is_refused_whole_naming_the_field(role_users, overrides, field, words):
    schedules = RateSchedule.objects.count()
    with pytest.raises(ValidationError) as refused:
        _create(role_users[Role.EMS], **overrides)
    assert words in " ".join(refused.value.message_dict[field])
    assert RateSchedule.objects.count() == schedules
    assert not SpecialRateCode.objects.exists()


def test_a_duplicate_code_is_refused_in_any_case(role_users):
    _create(role_users[Role.EMS])
    with pytest.raises(ValidationError) as refused:
        _create(role_users[Role.BILLING], code="sw-hoa1", kind="city")
    assert "already a rate schedule SW-HOA1" in refused.value.message_dict["code"][0]
    assert SpecialRateCode.objects.count() == 1


def test_a_code_cannot_start_from_another_special_code(role_users):
    _create(role_users[Role.EMS])
    with pytest.raises(ValidationError) as refused:
        _create(role_users[Role.EMS], code="SW-HOA2", based_on="SW-HOA1")
    assert "based_on" in refused.value.message_dict


@pytest.mark.parametrize("role", [r for r in Role if r not in CODE_ROLES])
def test_roles_outside_the_rate_book_cannot_create_a_code(role_users, role):
    with pytest.raises(PermissionDenied):
        _create(role_users[role])


def test_a_new_code_is_previewed_against_its_base(role_users):
    special = _create(role_users[Role.EMS])
    draft = special.schedule.versions.get()
    specs = [c.spec for c in draft.components.all()]
    specs[0]["amount"] = "24.50"
    (sample,) = rate_preview(
        schedule=special.schedule,
        effective=EFFECTIVE,
        components=editor.parse_components(specs),
        usages=[D(0)],
        start=date(2026, 11, 1),
        end=date(2026, 12, 1),
        quantity=1,
    )
    # "Now" is what a service on SW1.1 pays; "with this version" the code.
    assert (sample.before.total, sample.after.total) == (D("30.90"), D("24.50"))


# --- pricing through the engine, and the bill -----------------------------------


def test_the_next_bill_prices_on_the_special_code_as_by_hand(role_users):
    ems = role_users[Role.EMS]
    account, sa, october = billed_through_october(containers=2)
    assert october.current_charges == D("61.80")  # 2 barrels × $30.90 on SW1.1
    special = _create(ems)
    version = _in_force_at(special, "24.50", ems)
    services.special_code_assign(code="SW-HOA1", agreement_id=sa.pk, by=ems)
    sa.refresh_from_db()
    assert sa.rate_schedule == "SW-HOA1"

    november = bill_november(account)
    segment = november.segments.get()
    # By hand: 30 service days (a whole month), 2 barrels × $24.50.
    assert (segment.start, segment.end) == (date(2026, 10, 31), date(2026, 11, 30))
    assert segment.rate_schedule == "SW-HOA1"
    assert november.current_charges == segment.total == D("49.00")
    assert [(line.rate_version_id, line.amount) for line in segment.lines.all()] == [
        (version.pk, D("49.00"))
    ]


def test_the_bill_page_and_pdf_show_the_special_code(role_users, client):
    ems = role_users[Role.EMS]
    account, sa, _ = billed_through_october()
    _in_force_at(_create(ems), "24.50", ems)
    services.special_code_assign(code="SW-HOA1", agreement_id=sa.pk, by=ems)
    bill = bill_november(account)
    client.force_login(role_users[Role.BILLING])
    page = client.get(reverse("billing:bill", args=[bill.pk])).content.decode()
    assert "SW-HOA1" in page and "$49.00" in page
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=bill_pdf(bill), capture_output=True, check=True
    ).stdout.decode()
    assert "SW-HOA1" in text


# --- putting a service on a code ---------------------------------------------------


def test_a_draft_code_takes_no_service(role_users):
    _, sa, _ = billed_through_october()
    _create(role_users[Role.EMS])
    with pytest.raises(ValidationError) as refused:
        services.special_code_assign(code="SW-HOA1", agreement_id=sa.pk, by=role_users[Role.EMS])
    assert "still a draft" in refused.value.message_dict["agreement"][0]
    sa.refresh_from_db()
    assert sa.rate_schedule == "SW1.1"


def test_a_service_whose_next_bill_starts_before_the_code_is_refused(role_users):
    ems = role_users[Role.EMS]
    account = AccountFactory()
    sa = agreement(account, "solid_waste", "SW1.1", containers=1)  # never billed, from 2025
    _in_force_at(_create(ems), "24.50", ems)
    with pytest.raises(ValidationError) as refused:
        services.special_code_assign(code="SW-HOA1", agreement_id=sa.pk, by=ems)
    assert "next bill starts 01/01/2025" in refused.value.message_dict["agreement"][0]


def test_only_a_service_on_the_base_schedule_goes_on_the_code(role_users):
    ems = role_users[Role.EMS]
    account = AccountFactory()
    water = agreement(account, "water", "W1.1")
    green = agreement(
        account, "solid_waste", "SW1.3", premise_obj=water.premise, starts_on=date(2026, 11, 1)
    )
    _in_force_at(_create(ems), "24.50", ems)
    with pytest.raises(ValidationError, match="not Water"):
        services.special_code_assign(code="SW-HOA1", agreement_id=water.pk, by=ems)
    with pytest.raises(ValidationError, match="replaces SW1.1"):
        services.special_code_assign(code="SW-HOA1", agreement_id=green.pk, by=ems)


def test_a_service_moves_back_to_the_base_schedule(role_users):
    ems = role_users[Role.EMS]
    _, sa, _ = billed_through_october()
    _in_force_at(_create(ems), "24.50", ems)
    services.special_code_assign(code="SW-HOA1", agreement_id=sa.pk, by=ems)
    services.special_code_assign(code="SW-HOA1", agreement_id=sa.pk, by=ems, back_to_base=True)
    sa.refresh_from_db()
    assert sa.rate_schedule == "SW1.1"


def test_a_stopped_service_is_refused(role_users):
    ems = role_users[Role.EMS]
    _, sa, _ = billed_through_october()
    _in_force_at(_create(ems), "24.50", ems)
    ServiceAgreement.objects.filter(pk=sa.pk).update(status="final", ends_on=date(2026, 11, 5))
    with pytest.raises(ValidationError, match="bills no more"):
        services.special_code_assign(code="SW-HOA1", agreement_id=sa.pk, by=ems)


# --- pages and who uses them --------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_exactly_the_rate_book_roles_use_the_pages(role_users, client, role):
    _create(role_users[Role.EMS])
    client.force_login(role_users[role])
    urls = [
        reverse("billing:special_codes"),
        reverse("billing:special_code_new"),
        reverse("billing:special_code", args=["SW-HOA1"]),
    ]
    expected = 200 if role in CODE_ROLES else 403
    assert [client.get(url).status_code for url in urls] == [expected] * 3
    posts = [
        client.post(reverse("billing:special_code_new"), {}).status_code,
        client.post(reverse("billing:special_code_assign", args=["SW-HOA1"]), {}).status_code,
    ]
    assert posts == ([400, 400] if role in CODE_ROLES else [403, 403])


def test_an_ems_clerk_creates_a_code_in_the_page_and_lands_in_the_editor(role_users, client):
    client.force_login(role_users[Role.EMS])
    form = client.get(reverse("billing:special_code_new")).content.decode()
    # Only solid-waste schedules to start from.
    assert 'value="SW1.1"' in form and 'value="W1.1"' not in form
    response = client.post(
        reverse("billing:special_code_new"),
        {
            "code": "sw-mf1",
            "name": "Mesa Palms apartments",
            "based_on": "SW1.1",
            "kind": "multi_family",
            "effective": "2026-11-01",
            "reason": "Multi-family complex billed per barrel by agreement",
        },
    )
    draft = RateVersion.objects.get(schedule__code="SW-MF1")
    assert response.status_code == 302
    assert response.url == reverse("billing:rate_version_edit", args=[draft.pk])


def test_a_card_number_in_the_reason_comes_back_masked(role_users, client):
    client.force_login(role_users[Role.EMS])
    response = client.post(
        reverse("billing:special_code_new"),
        {
            "code": "SW-HOA1",
            "name": "HOA",
            "based_on": "SW1.1",
            "kind": "hoa",
            "effective": "2026-11-01",
            "reason": f"Paid by {CARD}",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400 and "card number" in page
    assert CARD not in page
    assert not SpecialRateCode.objects.exists()


def test_the_list_filters_and_exports(role_users, client):
    ems = role_users[Role.EMS]
    _create(ems)
    _create(ems, code="SW-CITY1", name="City Hall", kind="city", reason="City facility")
    client.force_login(ems)
    url = reverse("billing:special_codes")
    page = client.get(url, {"kind": "city"}).content.decode()
    assert "SW-CITY1" in page and "SW-HOA1" not in page
    csv = client.get(url, {"_export": "csv", "q": "desert"}).content.decode()
    assert "SW-HOA1" in csv and "SW-CITY1" not in csv and REASON in csv
    xlsx = client.get(url, {"_export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_the_code_page_finds_an_account_and_puts_its_service_on_the_code(role_users, client):
    ems = role_users[Role.EMS]
    account, sa, _ = billed_through_october()
    _in_force_at(_create(ems), "24.50", ems)
    client.force_login(ems)
    url = reverse("billing:special_code", args=["SW-HOA1"])
    page = client.get(url, {"account": account.number}).content.decode()
    assert "Put on SW-HOA1" in page
    response = client.post(
        reverse("billing:special_code_assign", args=["SW-HOA1"]), {"agreement": sa.pk}
    )
    assert response.status_code == 302
    sa.refresh_from_db()
    assert sa.rate_schedule == "SW-HOA1"
    assert account.number in client.get(url).content.decode()


# --- ordinance references -------------------------------------------------------------


def test_the_references_cite_no_invented_section_numbers():
    assert {r.key for r in REFERENCES} >= {"bulk_pickup", "green_barrel_minimum"}
    assert all("section number not on record" in r.citation for r in REFERENCES)
    assert [r.key for r in references("bulk_pickup", "green_barrel_minimum")] == [
        "bulk_pickup",
        "green_barrel_minimum",
    ]
    with pytest.raises(KeyError):
        references("title_8")


def test_the_references_show_on_the_code_screens_and_the_solid_waste_home(role_users, client):
    _create(role_users[Role.EMS])
    client.force_login(role_users[Role.EMS])
    for url in (
        reverse("billing:special_codes"),
        reverse("billing:special_code", args=["SW-HOA1"]),
        reverse("solidwaste:index"),
    ):
        page = client.get(url).content.decode()
        assert "Ordinance references" in page, url
        assert "6-month minimum" in page, url
    assert (
        reverse("billing:special_codes") in client.get(reverse("solidwaste:index")).content.decode()
    )


def test_a_clerk_sees_the_references_but_no_special_codes_tile(role_users, client):
    client.force_login(role_users[Role.CLERK])
    page = client.get(reverse("solidwaste:index")).content.decode()
    assert "past-due balance is paid first" in page
    assert reverse("billing:special_codes") not in page
