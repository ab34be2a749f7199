"""The bill document: what the customer receives."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from accounts.rules.scanline import scan_line
from accounts.selectors import account_aging
from billing.models import Bill, BillSegment
from mesa_cs.lib.formatting import money_text
from mesa_cs.lib.pdf import render_pdf

# The usage chart, in SVG user units: an axis label column on the left, 13
# bars, a row above them for the estimated marks and one below for months.
CHART_WIDTH, CHART_HEIGHT, BAR_GAP = 190, 74, 2
AXIS, TOP, BOTTOM = 26, 9, 10
MONTHS = 13


@dataclass
class Bar:
    x: int
    y: int
    width: int
    height: int
    label: str
    current: bool
    estimated: bool
    usage: Decimal

    @property
    def middle(self) -> int:
        return self.x + self.width // 2


@dataclass
class Chart:
    """The chart's bars, and its labels as one SVG text each with a position
    per letter (WeasyPrint lays out each text element on its own, and 13
    month labels as 13 elements cost a tenth of the render)."""

    bars: list[Bar]
    unit: str
    ticks: list[tuple[int, str]]  # (y, label) of the axis's gridlines
    grid: str  # the gridlines, one SVG path
    tick_text: str  # the axis labels, one SVG text: its letters,
    tick_xs: str  # where each letter sits (right-aligned on the axis)
    tick_ys: str
    current: Bar | None
    year_ago: Bar | None
    any_estimated: bool
    months: str = ""  # the months' initials, one per bar
    month_xs: str = ""  # where each initial sits
    marks_xs: str = ""  # the estimated bars' "E", where each sits
    marks_ys: str = ""
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    axis: int = AXIS
    baseline: int = CHART_HEIGHT - BOTTOM


def nice_top(value: Decimal) -> Decimal:
    """The axis's top: the first of 1, 2, 2.5, 5 × 10ⁿ at or above ``value``."""
    if value <= 0:
        return Decimal(1)
    scale = Decimal(10) ** (len(str(int(value))) - 1) if value >= 1 else Decimal("0.1")
    for step in (1, 2, Decimal("2.5"), 5, 10):
        if value <= step * scale:
            return step * scale
    return 10 * scale


# Advance widths of DejaVu Sans at the chart's 6-unit font size.
ADVANCE = {",": 1.9, ".": 1.9}
DIGIT_ADVANCE = 3.82


def _right_aligned(labels: list[tuple[int, str]], right: int) -> tuple[str, str, str]:
    """Labels ending at ``right``, each at its own height, as the letters,
    x and y lists of one SVG text."""
    letters, xs, ys = [], [], []
    for y, label in labels:
        x = right - sum(ADVANCE.get(c, DIGIT_ADVANCE) for c in label)
        for c in label:
            letters.append(c)
            xs.append(f"{x:.1f}")
            ys.append(str(y + 2))
            x += ADVANCE.get(c, DIGIT_ADVANCE)
    return "".join(letters), " ".join(xs), " ".join(ys)


def usage_chart(segment: BillSegment) -> Chart | None:
    """Up to 13 months of this service's usage, oldest first: bars on an axis
    in the segment's unit, estimated months marked "E"."""
    history = list(
        BillSegment.objects.filter(
            service_agreement_id=segment.service_agreement_id,
            bill__status=Bill.Status.ISSUED,
            end__lte=segment.end,
        )
        .order_by("-end")
        .values_list("end", "usage", "estimated")[:MONTHS]
    )[::-1]
    if not history:
        return None
    top = nice_top(max(usage for _, usage, _ in history))
    plot = CHART_HEIGHT - TOP - BOTTOM
    width = (CHART_WIDTH - AXIS - BAR_GAP * (MONTHS - 1)) // MONTHS
    bars = []
    for index, (end, usage, estimated) in enumerate(history):
        height = int(usage / top * plot)
        bars.append(
            Bar(
                x=AXIS + index * (width + BAR_GAP),
                y=TOP + plot - max(height, 1),
                width=width,
                height=max(height, 1),
                label=end.strftime("%b")[0],
                current=end == segment.end,
                estimated=estimated,
                usage=usage,
            )
        )
    current = bars[-1] if bars[-1].current else None
    year_ago = bars[0] if len(bars) == MONTHS else None
    ticks = [
        (TOP + plot - int(plot * part), f"{(top * part).normalize():,f}")
        for part in (0, Decimal("0.5"), 1)
    ]
    estimated = [bar for bar in bars if bar.estimated]
    letters, xs, ys = _right_aligned(ticks, AXIS - 4)
    return Chart(
        bars=bars,
        unit=segment.unit,
        ticks=ticks,
        grid=" ".join(f"M{AXIS - 2} {y}H{CHART_WIDTH}" for y, _ in ticks),
        tick_text=letters,
        tick_xs=xs,
        tick_ys=ys,
        current=current,
        year_ago=year_ago,
        any_estimated=bool(estimated),
        months="".join(bar.label for bar in bars),
        month_xs=" ".join(str(bar.middle - 2) for bar in bars),
        marks_xs=" ".join(str(bar.middle - 2) for bar in estimated),
        marks_ys=" ".join(str(bar.y - 2) for bar in estimated),
    )


def bill_messages(bill: Bill) -> list[str]:
    messages = [m for m in bill.messages.splitlines() if m.strip()]
    if bill.estimated:
        messages.append("This bill is estimated: we could not read your meter this month.")
    # The past due of the account page and the notices, on the bill's date.
    past_due = account_aging(bill.account_id, as_of=bill.bill_on).past_due
    if past_due > 0:
        messages.append(
            f"{money_text(past_due)} of your balance is past due. Pay it now to avoid a late fee "
            "and disconnection of service."
        )
    messages.append(
        "Pay online, by phone at 480-644-2221, or at 55 N Center St and 6935 E Decatur St."
    )
    return messages


def bill_pdf(bill: Bill) -> bytes:
    segments = list(bill.segments.prefetch_related("lines").select_related("service_agreement"))
    return render_pdf(
        "billing/bill_pdf.html",
        {
            "bill": bill,
            "account": bill.account,
            "premise": segments[0].service_agreement.premise if segments else None,
            "segments": [(s, usage_chart(s) if s.unit != "container" else None) for s in segments],
            "messages": bill_messages(bill),
            "scan_line": scan_line(bill.account.number, max(bill.amount_due, Decimal(0))),
        },
    )
