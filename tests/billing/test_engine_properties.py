"""Properties of the rate engine over random inputs."""

import ast
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from billing.rules.engine import BillInput, calculate, segments_for
from billing.rules.ratebook import shipped_ratebook

BOOK = shipped_ratebook()
BASE = Path(__file__).resolve().parents[2] / "billing" / "rules"


@st.composite
def bills(draw):
    schedule = draw(st.sampled_from(sorted(BOOK.schedules)))
    start = draw(st.dates(min_value=date(2025, 2, 1), max_value=date(2027, 6, 1)))
    days = draw(st.integers(min_value=1, max_value=95))
    components = [c for v in BOOK.schedules[schedule].versions for c in v.components]
    sizes = next((list(c.by_meter_size) for c in components if c.by_meter_size), [None])
    services = next((list(c.by_service) for c in components if c.by_service), [None])
    return BillInput(
        schedule=schedule,
        start=start,
        end=start + timedelta(days=days),
        usage=draw(st.decimals(min_value=0, max_value=5000, places=2)),
        meter_size=draw(st.sampled_from(sizes)),
        quantity=draw(st.integers(min_value=1, max_value=4)),
        service=draw(st.sampled_from(services)),
        acres=draw(st.decimals(min_value=Decimal("0.1"), max_value=20, places=2)),
        winter_average=draw(st.none() | st.decimals(min_value=0, max_value=40, places=2)),
        programs=frozenset(draw(st.sets(st.sampled_from(["SEA", "LISR"])))),
    )


@settings(max_examples=300, deadline=None)
@given(bills())
def test_lines_sum_to_the_total_and_are_whole_cents(bill):
    calc = calculate(BOOK, bill)
    assert calc.total == sum((line.amount for line in calc.lines), Decimal("0"))
    for line in calc.lines:
        assert isinstance(line.amount, Decimal)
        assert line.amount == line.amount.quantize(Decimal("0.01"))
        assert line.amount != 0


@settings(max_examples=300, deadline=None)
@given(bills(), st.data())
def test_a_second_identical_version_inside_the_period_changes_nothing_but_pennies(bill, data):
    schedule = BOOK.schedules[bill.schedule]
    assume((bill.end - bill.start).days >= 2)
    split_on = data.draw(
        st.dates(min_value=bill.start + timedelta(days=2), max_value=bill.end), label="split"
    )
    in_force = [
        s
        for s in segments_for(schedule, bill.start, bill.end)
        if s.first_day <= split_on <= s.last_day
    ]
    assume(in_force and in_force[0].version.effective != split_on)
    twin = replace(in_force[0].version, effective=split_on)
    versions = tuple(sorted([*schedule.versions, twin], key=lambda v: v.effective))
    book = replace(
        BOOK, schedules={**BOOK.schedules, schedule.code: replace(schedule, versions=versions)}
    )
    single, split = calculate(BOOK, bill), calculate(book, bill)
    tolerance = Decimal("0.01") * max(1, len(single.lines))
    assert abs(single.total - split.total) <= tolerance


def test_no_float_anywhere_in_the_pricing_path():
    """The engine never names float; the rate book parser names it only to
    refuse bare numbers (isinstance checks)."""
    for name in ("engine.py", "ratebook.py"):
        tree = ast.parse((BASE / name).read_text())
        uses = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == "float"]
        refusals = [
            arg
            for call in ast.walk(tree)
            if isinstance(call, ast.Call) and getattr(call.func, "id", None) == "isinstance"
            for arg in call.args[1:]
            if isinstance(arg, ast.Name) and arg.id == "float"
        ]
        constants = [
            n for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, float)
        ]
        assert constants == [], name
        assert len(uses) == len(refusals), name
        if name == "engine.py":
            assert uses == []
