import re

import pytest
from playwright.sync_api import expect

from mesa_cs.lib.context_processors import SECTION_LINKS
from mesa_cs.lib.roles import AREA_ROLES, Role
from tests.conftest import ROLE_USERNAMES
from tests.e2e.conftest import assert_page_is_accessible, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("role", list(Role), ids=lambda r: ROLE_USERNAMES[r])
def test_each_demo_role_signs_in_and_opens_its_sections(
    role, role_users, live_server, page, console_errors
):
    sign_in(page, live_server, ROLE_USERNAMES[role])
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Good")
    expect(page.locator("#my-roles")).to_contain_text(role.value)
    assert_page_is_accessible(page)

    expected = [link.title for link in SECTION_LINKS if role in AREA_ROLES[link.area]]
    nav = page.get_by_role("navigation", name="Main")
    titles = [t.strip() for t in nav.locator(".navbar-nav .nav-link").all_inner_texts()]
    assert titles == expected

    for link in SECTION_LINKS:
        if role not in AREA_ROLES[link.area]:
            continue
        response = page.goto(f"{live_server.url}{link.url}")
        assert response.status == 200, link.url
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_page_is_accessible(page)
    assert console_errors == []


def test_a_forbidden_section_shows_the_friendly_403(role_users, live_server, page):
    sign_in(page, live_server, "cashier")
    response = page.goto(f"{live_server.url}/credit/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_contain_text("not open to your role")


def test_slash_jumps_to_account_search_and_finds_an_account(role_users, live_server, page):
    from tests.factories import AccountFactory

    account = AccountFactory(name="Maria Delgado")
    sign_in(page, live_server, "clerk")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Good")
    page.keyboard.press("/")
    search = page.get_by_role("searchbox", name="Account search")
    expect(search).to_be_focused()
    page.keyboard.type(account.number)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/accounts/{account.number}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Maria Delgado")


def test_wrong_password_shows_a_message_and_keeps_the_username(role_users, live_server, page):
    sign_in(page, live_server, "clerk", password="nope")
    expect(page.get_by_role("alert")).to_contain_text("enter a correct username and password")
    expect(page.get_by_label("Username")).to_have_value("clerk")
