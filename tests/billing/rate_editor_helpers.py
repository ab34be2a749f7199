"""What the rate editor's tests share: an issued bill on a schedule, and the
editor page's form read as a browser would post it."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D
from html.parser import HTMLParser

from accounts.models import JournalEntry
from accounts.services import Charge, charges_post
from billing.models import Bill, BillLine, BillSegment
from tests.factories import AccountFactory, agreement


def issued_bill(schedule: str, start: date, end: date, *, version=None, utility="water"):
    """An issued bill with one segment on ``schedule`` (and, given
    ``version``, a line priced by it, as a bill run writes one)."""
    account = AccountFactory()
    entry = charges_post(
        account=account,
        kind=JournalEntry.Kind.BILL,
        effective_on=end + timedelta(days=2),
        description="Bill",
        charges=[Charge(D("40.00"), utility, schedule)],
    )
    bill = Bill.objects.create(
        account=account,
        period_start=start,
        period_end=end,
        bill_on=end + timedelta(days=2),
        due_on=end + timedelta(days=23),
        previous_balance=D(0),
        payments=D(0),
        other_charges=D(0),
        current_charges=D("40.00"),
        amount_due=D("40.00"),
        entry=entry,
    )
    segment = BillSegment.objects.create(
        bill=bill,
        service_agreement=agreement(account, utility, schedule),
        utility=utility,
        rate_schedule=schedule,
        start=start,
        end=end,
        usage=D(10),
        unit="kgal",
        total=D("40.00"),
    )
    if version is not None:
        BillLine.objects.create(
            segment=segment,
            rate_version=version,
            position=0,
            description="Service charge",
            kind="fixed",
            amount=D("40.00"),
        )
    return bill


class _FormReader(HTMLParser):
    """The fields a browser would post from the page's POST form."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, str] = {}
        self.in_form = False
        self.select = None
        self.first_option = None
        self.chosen = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post" and "action" not in a:
            self.in_form = True
        if not self.in_form:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.data[a["name"]] = a.get("value", "on")
            elif kind not in ("submit", "button"):
                self.data[a["name"]] = a.get("value", "")
        elif tag == "select":
            self.select, self.first_option, self.chosen = a.get("name"), None, False
        elif tag == "option" and self.select:
            if self.first_option is None:
                self.first_option = a.get("value", "")
            if "selected" in a:
                self.data[self.select], self.chosen = a.get("value", ""), True
        elif tag == "textarea":
            self.data[a["name"]] = ""

    def handle_endtag(self, tag):
        if tag == "select" and self.select:
            if not self.chosen:
                self.data[self.select] = self.first_option or ""
            self.select = None
        if tag == "form":
            self.in_form = False


def editor_form(html: str) -> dict[str, str]:
    reader = _FormReader()
    reader.feed(html)
    return reader.data


def card_prefix(data: dict, name: str) -> str:
    """The form prefix (``c-2``) of the component card named ``name``."""
    for key, value in data.items():
        if key.startswith("c-") and key.endswith("-name") and value == name:
            return key.rsplit("-", 1)[0]
    raise KeyError(name)
