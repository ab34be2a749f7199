from decimal import Decimal as D

import pytest
from django.urls import reverse

from accounts.models import Meter, MeterInstallation, ServicePoint
from accounts.rules.scanline import parse_scan_line, scan_line
from accounts.selectors import account_search
from mesa_cs.lib.roles import Role
from tests.factories import AccountFactory, PersonFactory, agreement, premise

pytestmark = pytest.mark.django_db


def _customer(name, address="1425 E University Dr", zip_code="85203", phone="4806442221"):
    first, last = name.split()
    person = PersonFactory(first_name=first, last_name=last, phone=phone)
    account = AccountFactory(name=name)
    account.links.create(person=person, role="main")
    agreement(account, premise_obj=premise(address, zip_code))
    return account


def test_a_misspelt_surname_still_finds_the_customer():
    account = _customer("Maria Gonzales")
    _customer("James Whitfield", "55 N Center St", "85201", "4805550000")
    hits = account_search("Gonzalez").hits
    assert [hit.account for hit in hits] == [account]
    assert hits[0].matched == "name"


def test_a_spelt_out_address_finds_the_abbreviated_premise():
    account = _customer("Maria Gonzales")
    hits = account_search("1425 East University Drive").hits
    assert hits[0].account == account
    assert hits[0].matched == "service address"
    assert hits[0].address == "1425 E University Dr, 85203"


def test_a_typed_house_number_puts_that_house_first_and_a_wrong_one_falls_back():
    house = _customer("Maria Gonzales", "1425 E University Dr")
    neighbour = _customer("James Whitfield", "1427 E University Dr", phone="4805550000")
    other_street = _customer("Ana Ruiz", "1425 N Center St", phone="4805550001")
    # The number is right: that house, not the neighbours or the same number elsewhere.
    assert [h.account for h in account_search("1425 East University Drive").hits] == [house]
    # The number is mistyped: the trigram search still finds the street.
    found = [h.account for h in account_search("1426 E University Dr").hits]
    assert set(found) == {house, neighbour}
    assert other_street not in found


def test_an_exact_account_number_jumps_to_the_account(client_as):
    account = _customer("Maria Gonzales")
    assert account_search(account.number).jump_to == account
    response = client_as(Role.CLERK).get(reverse("accounts:index"), {"q": account.number})
    assert response.status_code == 302
    assert response["Location"] == account.get_absolute_url()


def test_live_search_shows_the_exact_match_instead_of_leaving_the_page(client_as):
    account = _customer("Maria Gonzales")
    response = client_as(Role.CLERK).get(
        reverse("accounts:index"), {"q": account.number}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert account.number in response.content.decode()


def test_a_bill_stub_scan_line_jumps_to_the_account():
    account = _customer("Maria Gonzales")
    line = scan_line(account.number, D("123.45"))
    assert parse_scan_line(line) == (account.number, D("123.45"))
    assert account_search(line).jump_to == account
    assert account_search(line.replace(" ", "")).jump_to == account


def test_a_mistyped_account_number_says_the_check_digit_failed():
    account = _customer("Maria Gonzales")
    wrong = account.number[:-1] + str((int(account.number[-1]) + 1) % 10)
    outcome = account_search(wrong)
    assert outcome.jump_to is None
    assert "fails the check digit" in outcome.message


def test_phone_and_meter_number_find_the_account():
    account = _customer("Maria Gonzales", phone="6025551234")
    assert [h.account for h in account_search("(602) 555-1234").hits] == [account]
    point = ServicePoint.objects.create(premise=account.agreements.get().premise, utility="water")
    meter = Meter.objects.create(number="W12345678", utility="water", size="3/4")
    MeterInstallation.objects.create(meter=meter, service_point=point, installed_on="2025-01-01")
    account.agreements.update(service_point=point)
    assert [h.account for h in account_search("w12345678").hits] == [account]


def test_the_search_page_lists_hits_with_address_and_balance(client_as):
    _customer("Maria Gonzales")
    html = (
        client_as(Role.CASHIER).get(reverse("accounts:index"), {"q": "gonzales"}).content.decode()
    )
    assert "Maria Gonzales" in html
    assert "1425 E University Dr, 85203" in html


# A crowd like the city's: the customers, their near namesakes and the rest.
CROWD = [
    "John Smith",
    "Ana Smit",
    "Paul Smythe",
    "Karl Schmidt",
    "Rosa Smart",
    "Dana Smiley",
    "Luis Garcia",
    "Eva Garza",
    "Tom Gracey",
    "Lena Grace",
    "Ruth Johnson",
    "Mark Johnston",
    "Ivy Jonson",
    "Sam Johns",
    "Amy Jones",
    "Juan Gonzales",
    "Mia Martinez",
    "Raj Patel",
    "Kim Nguyen",
    "Ben Yazzie",
]


@pytest.fixture
def crowd():
    return {
        name: _customer(name, f"{100 + i} N Center St", phone=f"48055510{i:02d}")
        for i, name in enumerate(CROWD)
    }


@pytest.mark.parametrize(
    ("typed", "meant", "within"),
    [
        ("Smiht", "John Smith", 2),  # a swap; "Smit" is as few edits away
        ("Smyth", "John Smith", 2),  # sounds the same; "Smythe" is trigram-close
        ("Gracia", "Luis Garcia", 1),  # a swap that sounds the same
        ("Jonhson", "Ruth Johnson", 2),  # a swap; "Jonson" is one letter off
    ],
)
def test_a_misspelt_surname_finds_the_customer_near_the_top(crowd, typed, meant, within):
    hits = account_search(typed).hits
    top = [hit.account for hit in hits[:within]]
    assert crowd[meant] in top, [hit.account.name for hit in hits]
    hit = next(hit for hit in hits if hit.account == crowd[meant])
    assert hit.matched == f"surname spelt like {meant.split()[1]}"


def test_exact_and_trigram_close_names_rank_above_spelling_matches(crowd):
    names = [hit.account.name for hit in account_search("Johnson").hits]
    assert names[0] == "Ruth Johnson"
    names = [hit.account.name for hit in account_search("Smiht").hits]
    assert "Mark Johnston" not in names and "Raj Patel" not in names


def test_a_first_name_typed_with_a_misspelt_surname_puts_that_person_first(crowd):
    extra = _customer("Ruth Smith", "9 W Main St", phone="4805559999")
    hits = account_search("Ruth Smiht").hits
    assert hits[0].account == extra
    assert crowd["John Smith"] in [hit.account for hit in hits[:4]]


def test_a_swap_that_neither_sounds_alike_nor_shares_trigrams_is_found_by_its_first_letters(
    crowd,
):
    assert account_search("Gacria").hits[0].account == crowd["Luis Garcia"]


def test_a_swap_of_the_second_and_third_letters_is_found_by_the_first_and_third(crowd):
    moreno = _customer("Olga Moreno", "7 S Mesa Dr", phone="4805559998")
    assert account_search("Mroeno").hits[0].account == moreno
