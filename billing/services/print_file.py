"""The print vendor's file for a bill run: one row per bill, everything the
vendor composes the printed bill from (CSV, UTF-8)."""

from __future__ import annotations

import csv
import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from accounts.models import AccountPerson
from accounts.rules.scanline import scan_line
from billing.models import Bill
from mesa_cs.lib.export import neutralise

COLUMNS = [
    "account",
    "name",
    "mailing_line1",
    "mailing_line2",
    "city",
    "state",
    "zip",
    "bill_date",
    "due_date",
    "period_start",
    "period_end",
    "previous_balance",
    "payments",
    "other_charges",
    "current_charges",
    "amount_due",
    "estimated",
    "services",
    "scan_line",
]


def print_file_path(run_id: int) -> str:
    return f"print/bill-run-{run_id}.csv"


def print_file_build(run_id: int) -> str:
    """Write (or rewrite) the run's print file; returns its storage path."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    bills = (
        Bill.objects.filter(run_id=run_id, status=Bill.Status.ISSUED)
        .select_related("account")
        .prefetch_related("segments")
        .order_by("account__number")
    )
    mains = {
        link.account_id: link.person
        for link in AccountPerson.objects.filter(
            account__bills__run_id=run_id, role=AccountPerson.Role.MAIN, ends_on__isnull=True
        ).select_related("person")
    }
    for bill in bills.iterator(chunk_size=2000):
        person = mains.get(bill.account_id)
        services = "; ".join(
            f"{s.utility} {s.rate_schedule} {s.usage} {s.unit} {s.total}"
            for s in bill.segments.all()
        )
        # The vendor opens the file in a spreadsheet too: names and addresses
        # people typed must not run as formulas there.
        row = [
            bill.account.number,
            bill.account.name,
            person.mailing_line1 if person else "",
            person.mailing_line2 if person else "",
            person.mailing_city if person else "",
            person.mailing_state if person else "",
            person.mailing_zip if person else "",
            bill.bill_on,
            bill.due_on,
            bill.period_start,
            bill.period_end,
            bill.previous_balance,
            bill.payments,
            bill.other_charges,
            bill.current_charges,
            bill.amount_due,
            "Y" if bill.estimated else "N",
            services,
            scan_line(bill.account.number, max(bill.amount_due, 0)),
        ]
        writer.writerow([neutralise(cell) for cell in row])
    path = print_file_path(run_id)
    if default_storage.exists(path):
        default_storage.delete(path)
    return default_storage.save(path, ContentFile(buffer.getvalue().encode("utf-8")))
