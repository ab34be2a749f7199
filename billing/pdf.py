"""The bill document: what the customer receives."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from accounts.rules.scanline import scan_line
from accounts.selectors import account_aging
from billing.models import Bill, BillSegment
from mesa_cs.lib.pdf import render_pdf

CHART_WIDTH, CHART_HEIGHT, BAR_GAP = 190, 60, 2


@dataclass
class Bar:
    x: int
    y: int
    width: int
    height: int
    label: str
    current: bool


def usage_chart(segment: BillSegment) -> list[Bar]:
    """Up to 13 months of this service's usage, oldest first, as SVG bars."""
    history = list(
        BillSegment.objects.filter(
            service_agreement_id=segment.service_agreement_id,
            bill__status=Bill.Status.ISSUED,
            end__lte=segment.end,
        )
        .order_by("-end")
        .values_list("end", "usage")[:13]
    )[::-1]
    if not history:
        return []
    top = max((usage for _, usage in history), default=Decimal(0)) or Decimal(1)
    width = (CHART_WIDTH - BAR_GAP * 12) // 13
    bars = []
    for index, (end, usage) in enumerate(history):
        height = int(usage / top * (CHART_HEIGHT - 12))
        bars.append(
            Bar(
                x=index * (width + BAR_GAP),
                y=CHART_HEIGHT - 12 - height,
                width=width,
                height=max(height, 1),
                label=end.strftime("%b")[0],
                current=end == segment.end,
            )
        )
    return bars


def bill_messages(bill: Bill) -> list[str]:
    messages = [m for m in bill.messages.splitlines() if m.strip()]
    if bill.estimated:
        messages.append("This bill is estimated: we could not read your meter this month.")
    # The past due of the account page and the notices, on the bill's date.
    past_due = account_aging(bill.account_id, as_of=bill.bill_on).past_due
    if past_due > 0:
        messages.append(
            f"${past_due:,} of your balance is past due. Pay it now to avoid a late fee "
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
            "segments": [(s, usage_chart(s)) for s in segments],
            "messages": bill_messages(bill),
            "scan_line": scan_line(bill.account.number, max(bill.amount_due, Decimal(0))),
            "chart_height": CHART_HEIGHT,
            "chart_width": CHART_WIDTH,
        },
    )
