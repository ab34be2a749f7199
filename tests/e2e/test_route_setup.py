"""An EMS supervisor keeps the routes, trucks and crew in the browser
(issue 15 item 5's setup): from the Solid Waste page, add a foreman and an
operator who reports to them, a truck, and a route the foreman leads;
correct the route's lift target; then filter and export the list.
Screenshots in /tmp/route-setup."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from solidwaste.models import CrewMember, Route, Truck
from tests.e2e.conftest import assert_page_is_accessible, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/route-setup")


def test_a_supervisor_adds_crew_a_truck_and_a_route_and_corrects_its_target(
    role_users, live_server, page, console_errors
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    sign_in(page, live_server, "supervisor")
    page.goto(f"{live_server.url}/solidwaste/")
    page.get_by_role("link", name="Operators and foremen").click()
    page.get_by_role("link", name="New crew member").click()
    page.get_by_label("Employee number").fill("1050")
    page.get_by_label("Name").fill("Rosa Begay")
    page.get_by_label("Position").select_option(label="Foreman")
    assert_page_is_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".alert-success")).to_contain_text("Rosa Begay (1050) saved")

    page.get_by_role("link", name="New crew member").click()
    page.get_by_label("Employee number").fill("2050")
    page.get_by_label("Name").fill("Ana Diaz")
    page.get_by_label("Reports to (foreman)").select_option(label="Rosa Begay (1050)")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("table")).to_contain_text("Ana Diaz")
    page.screenshot(path=str(SHOTS / "e2e-crew.png"), full_page=True)

    page.goto(f"{live_server.url}/solidwaste/trucks/")
    page.get_by_role("link", name="New truck").click()
    page.get_by_label("Number").fill("t-360")
    page.get_by_label("Kind").select_option(label="Automated side-loader")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("table")).to_contain_text("T-360")

    page.goto(f"{live_server.url}/solidwaste/routes/")
    page.get_by_role("link", name="New route").click()
    page.get_by_label("Code").fill("RES-150")
    page.get_by_label("Name").fill("Dobson Ranch Mon")
    page.get_by_label("Service line").select_option(label="Residential refuse")
    page.get_by_label("Service area").select_option(label="West")
    page.get_by_label("Foreman").select_option(label="Rosa Begay (1050)")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".alert-success")).to_contain_text("RES-150 Dobson Ranch Mon saved")

    # A typing slip refused beside its field, then corrected.
    page.get_by_role("row", name="RES-150").get_by_role("link", name="Edit").click()
    page.get_by_label("Daily lift target").fill("0")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("greater than or equal to 1")
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "e2e-route-refused.png"), full_page=True)
    page.get_by_label("Daily lift target").fill("1050")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("row", name="RES-150")).to_contain_text("1050")

    page.get_by_label("Service area").select_option(label="West")
    page.get_by_role("button", name="Filter").click()
    assert_page_is_accessible(page)
    page.screenshot(path=str(SHOTS / "e2e-routes.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Export Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    route = Route.objects.get(code="RES-150")
    assert (route.foreman.name, route.daily_lift_target) == ("Rosa Begay", 1050)
    assert CrewMember.objects.get(employee_number="2050").foreman == route.foreman
    assert Truck.objects.filter(number="T-360").exists()
    assert console_errors == []
