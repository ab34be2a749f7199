"""The counter screen as a cashier uses it: the stub's scan line, the live
panel, what stays on the screen after a refusal, receipts and the drawer
count (docs/cashiering.md, "The counter screen")."""

import json
import subprocess
from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountFlag, JournalEntry
from accounts.rules.scanline import scan_line
from accounts.services import Charge, account_flag_set, charges_post
from cashiering.models import DrawerShift, Payment
from cashiering.services.corrections import payment_void
from cashiering.services.drawers import shift_close
from cashiering.services.payments import TenderLine, payment_take
from mesa_cs.lib.roles import Role
from tests.factories import AccountFactory, agreement

pytestmark = pytest.mark.django_db
CARD = "4111 1111 1111 1111"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def owing():
    """Nora Begay at 1425 E University Dr owes $256.58."""
    account = AccountFactory(name="Nora Begay")
    agreement(account)
    charges_post(
        account=account,
        kind=JournalEntry.Kind.BILL,
        effective_on=date(2026, 11, 1),
        description="Bill",
        charges=[Charge(D("256.58"), "water")],
    )
    return account


@pytest.fixture
def cashier(client_as, shift):
    return client_as(Role.CASHIER)


def post(client, **fields):
    data = {"key": "screen-1", "tender_1": "CASH", **fields}
    return client.post(reverse("cashiering:counter"), data)


def test_a_scanned_stub_tells_the_page_the_account_and_the_amount(cashier, owing):
    response = cashier.get(
        reverse("cashiering:account_lookup"),
        {"account_1": scan_line(owing.number, D("256.58")), "amount_1": ""},
        **HTMX,
    )
    html = response.content.decode()
    assert "Nora Begay" in html and "$256.58" in html
    event = json.loads(response["HX-Trigger-After-Settle"])["counter:scanned"]
    assert event == {"row": "1", "account": owing.number, "amount": "256.58"}


def test_a_typed_account_number_fills_nothing(cashier, owing):
    response = cashier.get(reverse("cashiering:account_lookup"), {"account_1": owing.number})
    assert "Nora Begay" in response.content.decode()
    assert "HX-Trigger-After-Settle" not in response


def test_enter_after_a_scan_posts_the_stubs_amount(cashier, owing):
    """The scanner's Enter used to post an empty amount and answer 400."""
    response = post(
        cashier, account_1=scan_line(owing.number, D("256.58")), tender_amount_1="300.00"
    )
    payment = Payment.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/payments/{payment.pk}/receipt/")
    allocation = payment.allocations.get()
    assert (allocation.account, allocation.amount) == (owing, D("256.58"))
    assert payment.change_due == D("43.42")


def test_a_typed_amount_wins_over_the_stubs(cashier, owing):
    post(
        cashier,
        account_1=scan_line(owing.number, D("256.58")),
        amount_1="100.00",
        tender_amount_1="100.00",
    )
    assert Payment.objects.get().allocations.get().amount == D("100.00")


def test_a_refused_payment_keeps_the_lookup_and_the_stubs_amount(cashier, owing):
    account_flag_set(
        account=owing,
        kind=AccountFlag.Kind.CERTIFIED_FUNDS_ONLY,
        starts_on=date(2026, 1, 1),
        reason="NSF",
    )
    response = post(cashier, account_1=scan_line(owing.number, D("256.58")))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter the amount of this tender." in html
    assert f'value="{owing.number}"' in html and 'value="256.58"' in html
    summary = html[html.index('id="summary-1"') :]
    assert "Nora Begay" in summary and "$256.58" in summary
    assert "Certified funds only" in summary
    assert not Payment.objects.exists()


def test_a_service_refusal_keeps_the_lookup(cashier, owing):
    response = post(cashier, account_1=owing.number, amount_1="256.58", tender_amount_1="200.00")
    assert response.status_code == 400
    html = response.content.decode()
    assert "do not cover the payment" in html and "$200.00" in html
    assert "Nora Begay" in html[html.index('id="summary-1"') :]


@pytest.mark.parametrize("field", ["reference_1", "payer_name", "account_2"])
def test_a_refused_card_number_is_never_sent_back(cashier, owing, field):
    fields = {"account_1": owing.number, "amount_1": "10.00", "tender_amount_1": "10.00"}
    fields[field] = CARD
    response = post(cashier, **fields)
    assert response.status_code == 400
    html = response.content.decode()
    assert "card number" in html
    assert CARD not in html and CARD.replace(" ", "") not in html and "1111 1111" not in html
    assert f'name="{field}" id="id_{field}" value=""' in html
    assert not Payment.objects.exists()


def test_a_card_number_looked_up_is_not_written_back(cashier):
    response = cashier.get(reverse("cashiering:account_lookup"), {"account_1": CARD})
    assert CARD not in response.content.decode()
    page = cashier.get(reverse("cashiering:counter"), {"account": CARD})
    assert CARD not in page.content.decode()


def test_a_stub_scanned_into_the_link_is_looked_up(cashier, owing):
    page = cashier.get(
        reverse("cashiering:counter"), {"account": scan_line(owing.number, D("256.58"))}
    ).content.decode()
    assert "Nora Begay" in page[page.index('id="summary-1"') :]
    assert f'value="{owing.number}"' in page and 'value="256.58"' in page
    assert 'data-tally="due">$256.58' in page


def test_the_live_panel_adds_up_the_payment_and_the_change(cashier):
    url = reverse("cashiering:counter")
    fields = {"amount_1": "52.37", "amount_2": "10", "tender_1": "CASH"}
    html = cashier.get(url, {**fields, "tender_amount_1": "70.00"}, **HTMX).content.decode()
    assert 'data-tally="due">$62.37' in html
    assert 'data-tally="tendered">$70.00' in html
    assert 'data-tally="change">$7.63' in html
    short = cashier.get(url, {**fields, "tender_amount_1": "50"}, **HTMX).content.decode()
    assert "Still to collect $12.37" in short and 'data-tally="change">$0.00' in short
    check = {**fields, "tender_1": "CHECK", "tender_amount_1": "70"}
    assert "Only cash gives change" in cashier.get(url, check, **HTMX).content.decode()
    junk = cashier.get(url, {"amount_1": "abc", "tender_amount_1": "1e999"}, **HTMX)
    assert 'data-tally="due">$0.00' in junk.content.decode()


def test_the_live_panel_counts_a_scanned_stub(cashier, owing):
    html = cashier.get(
        reverse("cashiering:counter"),
        {"account_1": scan_line(owing.number, D("256.58")), "amount_1": ""},
        **HTMX,
    ).content.decode()
    assert 'data-tally="due">$256.58' in html


def test_tab_skips_the_extra_rows_until_one_is_used(cashier, owing):
    page = cashier.get(reverse("cashiering:counter")).content.decode()
    for name in ("account_2", "amount_2", "account_3", "tender_amount_2", "reference_3"):
        assert f'name="{name}" id="id_{name}" value="" class="form-control' in page
        tag = page[page.index(f'name="{name}"') :]
        assert 'tabindex="-1"' in tag[: tag.index(">")], name
    first = page[page.index('name="account_1"') :]
    assert "tabindex" not in first[: first.index(">")]
    refused = post(cashier, account_1=owing.number, amount_1="5", account_2="0000000000")
    tag = refused.content.decode()
    tag = tag[tag.index('name="account_2"') :]
    assert "tabindex" not in tag[: tag.index(">")]


@pytest.fixture
def paid(shift, owing):
    other = AccountFactory(name="Desert Sky Laundromat")
    return payment_take(
        source=shift.source,
        shift=shift,
        received_on=timezone.localdate(),
        tenders=[TenderLine("CASH", D("100.00")), TenderLine("CHECK", D("200.00"), "2048")],
        allocations=[(owing, D("256.58")), (other, D("40.00"))],
        idempotency_key="receipt-1",
        created_by=shift.cashier,
    )


def receipt_texts(client, payment):
    html = client.get(reverse("cashiering:receipt", args=[payment.pk])).content.decode()
    pdf = client.get(reverse("cashiering:receipt_pdf", args=[payment.pk])).content
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return html, text


def test_the_receipt_names_everything_paid_and_who_took_it(cashier, paid, owing):
    cashier_name = paid.created_by.get_full_name()
    html, pdf = receipt_texts(cashier, paid)
    for text in (html, pdf):
        assert "Nora Begay" in text and "1425 E University Dr" in text
        assert owing.number in text and "$256.58" in text
        assert "Desert Sky Laundromat" in text and "$40.00" in text
        assert "Cash" in text and "$100.00" in text and "Check 2048" in text
        assert "$200.00" in text and "$300.00" in text  # the tenders and their total
        assert "Total paid" in text and "$296.58" in text
        assert "Change" in text and "$3.42" in text
        assert "Balance after payment" in text and "$0.00" in text and "−$40.00" in text
        assert cashier_name and cashier_name in text
        assert "Main (55 N Center St)" in text and "Main counter drawer" in text
        assert "Receipt no." in text and str(paid.pk) in text
        assert "VOID" not in text


def test_a_voided_payments_receipt_says_void(cashier, paid, role_users):
    payment_void(payment_id=paid.pk, supervisor=role_users[Role.SUPERVISOR], reason="wrong")
    html, pdf = receipt_texts(cashier, paid)
    assert "*** VOID ***" in html and "<title>VOID Receipt" in html
    assert "*** VOID ***" in pdf and "Thank you" not in pdf


def test_the_drawer_close_shows_running_totals_per_tender(cashier, shift, owing):
    payment_take(
        source=shift.source,
        shift=shift,
        received_on=timezone.localdate(),
        tenders=[TenderLine("CASH", D("60.00")), TenderLine("CHECK", D("140.00"), "9")],
        allocations=[(owing, D("192.37"))],
        idempotency_key="close-1",
        created_by=shift.cashier,
    )  # cash expected: 200 + 60 - 7.63 change = 252.37
    url = reverse("cashiering:close_drawer", args=[shift.pk])
    page = cashier.get(url).content.decode()
    assert 'data-count="cash">$0.00' in page and "$252.37" in page and "$140.00" in page
    counting = {"d_100": "2", "d_50": "1", "d_1": "2", "checks": "140.00\n"}
    html = cashier.post(url, counting, **HTMX).content.decode()
    assert 'data-count="cash">$252.00' in html
    assert 'data-count="checks">$140.00' in html and "Checks and money orders (1)" in html
    assert 'data-count="difference">−$0.37 short' in html
    done = {**counting, "d_0.25": "1", "d_0.10": "1", "d_0.01": "2", "d_5": "x"}
    html = cashier.post(url, done, **HTMX).content.decode()
    assert 'data-count="difference">balanced' in html
    closed = shift_close(
        shift_id=shift.pk,
        cashier=shift.cashier,
        denominations={"100": 2, "50": 1, "1": 2, "0.25": 1, "0.10": 1, "0.01": 2},
        checks=[D("140.00")],
    )
    assert closed.difference == 0


def test_only_the_shifts_cashier_sees_its_running_totals(client_as, shift):
    url = reverse("cashiering:close_drawer", args=[shift.pk])
    assert client_as(Role.SUPERVISOR).post(url, {"d_100": "1"}, **HTMX).status_code == 404
    assert DrawerShift.objects.get().status == DrawerShift.Status.OPEN


def test_the_live_panel_says_what_is_being_paid_not_amount_due(cashier, owing):
    """The lookup beside an account says "Amount due" (what the account
    owes); the panel totals what the cashier is putting on the accounts, so it
    must not use the same words for a different figure ($0.00 beside $256.58)."""
    page = cashier.get(reverse("cashiering:counter"), {"account": owing.number}).content.decode()
    panel = page[page.index('id="counter-tally"') :]
    panel = panel[: panel.index("</section>")]
    assert "Amount due" not in panel
    assert "Paying to accounts" in panel
