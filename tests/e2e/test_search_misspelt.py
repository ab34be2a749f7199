from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_page_is_accessible, sign_in
from tests.factories import AccountFactory, PersonFactory, agreement, premise

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path("test-results/search-misspelt")


def _customer(first, last, address):
    person = PersonFactory(first_name=first, last_name=last)
    account = AccountFactory(name=f"{first} {last}")
    account.links.create(person=person, role="main")
    agreement(account, premise_obj=premise(address, "85201"))
    return account


@pytest.fixture
def customers():
    crowd = [("Ana", "Smit"), ("Eva", "Garza"), ("Ivy", "Jonson"), ("Mark", "Johnston")]
    for i, (first, last) in enumerate(crowd):
        _customer(first, last, f"{200 + i} W Main St")
    return {
        "Smith": _customer("John", "Smith", "12 N Center St"),
        "Garcia": _customer("Luis", "Garcia", "14 N Center St"),
        "Johnson": _customer("Ruth", "Johnson", "16 N Center St"),
    }


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("Smiht", "Smith"), ("Gracia", "Garcia"), ("Smyth", "Smith"), ("Jonhson", "Johnson")],
)
def test_a_clerk_finds_the_customer_by_a_misspelt_surname(
    role_users, customers, live_server, page, console_errors, typed, meant
):
    account = customers[meant]
    sign_in(page, live_server, "clerk")
    page.goto(f"{live_server.url}/accounts/")
    box = page.get_by_label("Account number, name, service address, phone")
    box.focus()
    page.keyboard.type(typed)
    page.keyboard.press("Enter")
    results = page.locator("#search-results tbody tr")
    expect(results.first).to_be_visible()
    top = results.nth(0).inner_text() + results.nth(1).inner_text()
    assert account.number in top, results.all_inner_texts()
    row = page.get_by_role("row").filter(has_text=account.number)
    expect(row).to_contain_text(f"surname spelt like {meant}")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{typed}.png", full_page=True)
    assert_page_is_accessible(page)
    row.get_by_role("link", name=account.number).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(account.name)
    assert console_errors == []
