import json
from datetime import date
from decimal import Decimal as D
from io import StringIO

import pytest
import yaml
from django.core.management import CommandError, call_command

from billing.models import RateComponent, RateVersion
from billing.rules.ratebook import SHIPPED, parse_ratebook, ratebook_to_data, shipped_ratebook
from billing.services.rates import ratebook_from_db, ratebook_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    report = ratebook_load(shipped_ratebook())
    assert report.errors == []
    return report


def test_loading_the_same_file_twice_changes_nothing(loaded):
    assert loaded.versions_created == 19
    counts = (RateVersion.objects.count(), RateComponent.objects.count())
    out = StringIO()
    call_command("load_rates", str(SHIPPED), "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["versions_unchanged"] == 19
    assert report["versions_created"] == report["versions_replaced"] == 0
    assert (RateVersion.objects.count(), RateComponent.objects.count()) == counts


def test_export_writes_back_the_same_book(loaded, tmp_path):
    target = tmp_path / "export.yaml"
    call_command("export_rates", str(target))
    exported = parse_ratebook(yaml.safe_load(target.read_text()))
    assert exported == shipped_ratebook()
    assert yaml.safe_load(target.read_text())["format"] == "mesa-ratebook/1"


def test_a_changed_version_replaces_the_old_one_until_it_is_billed(loaded, tmp_path):
    data = ratebook_to_data(shipped_ratebook())
    water = next(s for s in data["schedules"] if s["code"] == "G1.1")
    water["versions"][0]["components"][0]["amount"] = "13.99"
    report = ratebook_load(parse_ratebook(data))
    assert report.versions_replaced == 1
    book = ratebook_from_db()
    assert book.schedules["G1.1"].versions[0].components[0].amount == D("13.99")


def test_a_billed_version_cannot_be_changed(loaded, monkeypatch):
    from billing.services import rates

    monkeypatch.setattr(rates, "version_is_billed", lambda version: version.schedule.code == "G1.1")
    data = ratebook_to_data(shipped_ratebook())
    gas = next(s for s in data["schedules"] if s["code"] == "G1.1")
    gas["versions"][0]["components"][0]["amount"] = "13.99"
    report = ratebook_load(parse_ratebook(data))
    assert report.errors and "cannot be changed" in report.errors[0]
    assert ratebook_from_db().schedules["G1.1"].versions[0].components[0].amount == D("13.45")


def test_a_bad_file_is_refused_with_the_reason(tmp_path, loaded):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "format: mesa-ratebook/1\nschedules:\n  - code: X1\n    versions:\n      - effective: '2025-01-01'\n        components:\n          - {type: fixed, name: Oops, amount: 1.5}\n"
    )
    with pytest.raises(CommandError, match="quoted string"):
        call_command("load_rates", str(bad))


EXAMPLES = [
    (
        [
            "--schedule",
            "W1.1",
            "--start",
            "2026-01-12",
            "--end",
            "2026-02-11",
            "--usage",
            "12",
            "--meter-size",
            "3/4",
        ],
        "71.56",
        30,
    ),
    (
        ["--schedule", "E1.1", "--start", "2025-07-03", "--end", "2025-08-04", "--usage", "1240"],
        "230.05",
        32,
    ),
    (
        [
            "--schedule",
            "E1.1",
            "--start",
            "2025-07-03",
            "--end",
            "2025-08-04",
            "--usage",
            "1240",
            "--program",
            "SEA",
        ],
        "204.95",
        32,
    ),
    (
        ["--schedule", "G1.1", "--start", "2025-11-20", "--end", "2025-12-19", "--usage", "41"],
        "66.53",
        29,
    ),
    (
        [
            "--schedule",
            "S1.1",
            "--start",
            "2025-09-01",
            "--end",
            "2025-10-01",
            "--usage",
            "11",
            "--winter-average",
            "6",
        ],
        "44.40",
        30,
    ),
    (
        [
            "--schedule",
            "W1.1",
            "--start",
            "2025-03-01",
            "--end",
            "2025-03-15",
            "--usage",
            "5",
            "--meter-size",
            "1",
            "--program",
            "LISR",
        ],
        "30.82",
        14,
    ),
    (
        [
            "--schedule",
            "SW3.1",
            "--start",
            "2025-04-01",
            "--end",
            "2025-05-01",
            "--quantity",
            "2",
            "--service",
            "4yd:2",
        ],
        "443.60",
        30,
    ),
    (
        ["--schedule", "I1.1", "--start", "2025-06-01", "--end", "2025-08-15", "--acres", "1.25"],
        "69.64",
        75,
    ),
]


@pytest.mark.parametrize(("args", "total", "days"), EXAMPLES)
def test_rate_calc_reproduces_the_worked_examples(loaded, args, total, days):
    out = StringIO()
    call_command("rate_calc", *args, "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["total"] == total and result["days"] == days
    assert sum(D(line["amount"]) for line in result["lines"]) == D(total)
    assert all(isinstance(line["amount"], str) for line in result["lines"])


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--schedule", "Z1"], "unknown rate schedule"),
        (
            [
                "--schedule",
                "W1.1",
                "--start",
                "2024-01-01",
                "--end",
                "2024-02-01",
                "--meter-size",
                "1",
            ],
            "no rate version",
        ),
        (["--schedule", "W1.1", "--meter-size", "9"], "does not price meter size"),
        (["--schedule", "SW3.1", "--service", "1yd:9"], "does not price service code"),
        (["--schedule", "G1.1", "--end", "2025-03-01"], "end date must be after"),
        (["--schedule", "G1.1", "--usage", "-4"], "cannot be negative"),
    ],
)
def test_rate_calc_refuses_what_it_cannot_price(loaded, args, reason):
    base = {"--start": "2025-03-01", "--end": "2025-04-01"}
    for i in range(0, len(args), 2):
        base[args[i]] = args[i + 1]
    argv = [item for pair in base.items() for item in pair]
    out = StringIO()
    with pytest.raises(CommandError, match=reason):
        call_command("rate_calc", *argv, "--json", stdout=out)
    assert "total" not in out.getvalue()


def test_rate_calc_needs_a_loaded_rate_book():
    with pytest.raises(CommandError, match="no rate book is loaded"):
        call_command(
            "rate_calc", "--schedule", "G1.1", "--start", "2025-03-01", "--end", "2025-04-01"
        )


def test_dates_come_back_as_they_were_given(loaded):
    assert ratebook_from_db().schedules["W1.1"].versions[1].effective == date(2026, 2, 1)
