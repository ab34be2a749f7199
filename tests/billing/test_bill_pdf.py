"""The bill PDF explains itself (issue 13 item 6): the usage chart has an
axis in the service's unit and marks estimated months; every amount sits in
the one amount column. Read from the PDF's own text (pdftotext)."""

import re
import subprocess
from decimal import Decimal as D

import pytest

from billing.models import Bill, BillSegment
from billing.pdf import bill_pdf, nice_top, usage_chart
from billing.services.runs import bill_run_start, bill_run_work
from tests.billing.conftest import BILL_ON

pytestmark = pytest.mark.django_db


@pytest.fixture
def bill(billable_city):
    billable_city(3)
    bill_run_work(bill_run_start(cycle=None, bill_on=BILL_ON).pk)
    return Bill.objects.filter(run__isnull=False, segments__utility="water").first()


def pdf_text(bill, *args):
    return subprocess.run(
        ["pdftotext", *args, "-", "-"], input=bill_pdf(bill), capture_output=True, check=True
    ).stdout.decode()


def test_the_usage_chart_has_an_axis_in_the_unit_and_marks_estimated_months(bill):
    water = bill.segments.get(utility="water")
    earlier = BillSegment.objects.filter(
        service_agreement=water.service_agreement, end__lt=water.end
    ).order_by("end")
    assert earlier.exists()
    BillSegment.objects.filter(pk=earlier.first().pk).update(estimated=True)
    chart = usage_chart(water)
    assert [bar.estimated for bar in chart.bars][0] is True
    assert chart.bars[-1].current and not chart.bars[-1].estimated
    text = pdf_text(bill)
    assert "Usage, last 13 months (kgal)" in text
    top = nice_top(max(bar.usage for bar in chart.bars))
    assert f"{top.normalize():,f}" in text.split()  # the axis's top
    assert f"This period {water.usage.normalize():f} kgal" in text
    assert "E = estimated month" in text and "E" in text.split()


def test_a_bill_without_estimated_months_has_no_estimate_mark(bill):
    BillSegment.objects.filter(bill__account=bill.account).update(estimated=False)
    assert "E = estimated month" not in pdf_text(bill)


def test_every_amount_sits_in_the_one_amount_column(bill):
    boxes = pdf_text(bill, "-bbox")
    words = re.findall(r'xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', boxes)
    start = next(float(y) for _, y, w in words if w == "summary")
    end = next(float(y) for _, y, w in words if w == "Messages")
    amounts = [
        round(float(x), 1)
        for x, y, w in words
        if start < float(y) < end and re.fullmatch(r"−?\$[\d,]+\.\d\d", w)
    ]
    # The summary, every line and every service's total.
    lines = sum(s.lines.count() + 1 for s in bill.segments.all())
    assert len(amounts) == 5 + lines
    assert len(set(amounts)) == 1, sorted(set(amounts))


def test_nice_axis_tops():
    assert [nice_top(D(v)) for v in ("0", "3", "7", "12", "25", "26", "497", "1001")] == [
        1,
        5,
        10,
        20,
        25,
        50,
        500,
        2000,
    ]
