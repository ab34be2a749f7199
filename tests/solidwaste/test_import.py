"""The route production import: all or nothing, every bad line by its
number, safe to run twice, and the command's JSON."""

import json
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.management import call_command

from mesa_cs.lib.dates import today
from solidwaste.models import ProductionEntry, ProductionFile
from solidwaste.services.production import production_import
from tests.solidwaste.conftest import last_monday, production_csv

pytestmark = pytest.mark.django_db


def _import(content: bytes):
    return production_import(content=content, filename="crew-sheets.csv")[0]


def test_a_good_file_records_every_line(fleet):
    day = last_monday()
    summary = _import(
        production_csv(
            f"{day},RES-101,T-101,2001,1012,980,12.40,8.5,2,0.5",
            f"{day},COM-201,t-201,2002,180,60,9.75,9,0,1",
            f"{day + timedelta(days=1)},res-101,T-101,2001,990,975,11.80,8,1,",
        )
    )
    assert summary["errors"] == []
    assert (summary["read"], summary["new"], summary["already_recorded"]) == (3, 3, 0)
    assert (summary["first_day"], summary["last_day"]) == (
        str(day),
        str(day + timedelta(days=1)),
    )
    entry = ProductionEntry.objects.get(route__code="COM-201")
    assert (entry.lifts, entry.stops, entry.tons, entry.hours) == (180, 60, D("9.75"), D("9"))
    assert (entry.misses, entry.overtime_hours, entry.truck.number) == (0, D("1"), "T-201")
    assert entry.file == ProductionFile.objects.get()
    # A blank overtime is none.
    assert ProductionEntry.objects.get(work_on=day + timedelta(days=1)).overtime_hours == 0


def test_malformed_lines_are_reported_by_line_and_nothing_is_recorded(fleet):
    day = last_monday()
    tomorrow = today() + timedelta(days=1)
    summary = _import(
        production_csv(
            f"{day},RES-101,T-101,2001,1012,980,12.40,8.5,2,0",  # good
            f"{day},RES-101,T-101,2002,1012,980,12.40,8.5",  # 2 fields short
            "2026-02-30,RES-101,T-101,2002,1,1,1,1,0,0",  # no such day
            f"{tomorrow},RES-101,T-101,2002,1,1,1,1,0,0",  # not yet worked
            f"{day},RES-999,T-101,2002,1,1,1,1,0,0",  # no such route
            f"{day},COM-201,T-201,9999,1,1,1,1,0,0",  # no such operator
            f"{day},COM-201,T-201,2002,many,1,1,1,0,0",  # lifts not a number
            f"{day},COM-201,T-201,2002,10,5,1,2,0,3",  # overtime over the hours
            f"{day},COM-201,T-201,2002,10,5,1.234,2,0,0",  # three decimals
            f"{day},RES-101,T-101,2001,900,900,10,8,0,0",  # same as line 2
            f"{day},COM-201,T-201,2002,10,5,1,2,9,0",  # misses over the stops
            "",
            f"{day},COM-201,T-201,2002,10,5,1,0,0,0",  # no hours
        )
    )
    errors = {error["line"]: error["reason"] for error in summary["errors"]}
    assert sorted(errors) == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14]
    assert "expected 10 fields, found 8" in errors[3]
    assert "work_on 2026-02-30 is not a real date" in errors[4]
    assert "is after today" in errors[5]
    assert "route 'RES-999' is not an active route" in errors[6]
    assert "operator '9999' is not an active operator" in errors[7]
    assert "lifts 'many' is not a whole number" in errors[8]
    assert "Overtime cannot be more than the hours worked" in errors[9]
    assert "tons '1.234'" in errors[10]
    assert errors[11] == "the same operator, route and day as line 2"
    assert "Misses cannot be more than the stops" in errors[12]
    assert "Hours must be more than 0" in errors[14]
    assert summary["new"] == 0
    assert not ProductionEntry.objects.exists()  # the good line 2 too: all or nothing
    assert ProductionFile.objects.get().summary["errors"] == summary["errors"]


def test_a_file_without_the_header_is_refused_on_line_1(fleet):
    summary = _import(b"2026-11-02,RES-101,T-101,2001,1,1,1,1,0,0\n")
    assert summary["errors"] == [
        {"line": 1, "reason": "the header row must be " + ",".join(
            ["work_on", "route", "truck", "operator", "lifts", "stops", "tons", "hours",
             "misses", "overtime_hours"]
        )}
    ]  # fmt: skip
    assert _import(b"")["errors"] == [{"line": 1, "reason": "the file is empty"}]
    assert _import(b"\xff\xfe")["errors"][0]["reason"].startswith("the file is not UTF-8")


def test_importing_the_same_file_twice_records_it_once(fleet):
    day = last_monday()
    content = production_csv(
        f"{day},RES-101,T-101,2001,1012,980,12.40,8.5,2,0.5",
        f"{day},COM-201,T-201,2002,180,60,9.75,9,0,1",
    )
    assert _import(content)["new"] == 2
    again = _import(content)
    assert again["errors"] == []
    assert (again["new"], again["already_recorded"]) == (0, 2)
    assert ProductionEntry.objects.count() == 2


def test_a_line_recorded_with_other_figures_is_refused_not_overwritten(fleet):
    day = last_monday()
    _import(production_csv(f"{day},RES-101,T-101,2001,1012,980,12.40,8.5,2,0.5"))
    summary = _import(
        production_csv(
            f"{day},RES-101,T-101,2001,1100,980,12.40,8.5,2,0.5",
            f"{day},COM-201,T-201,2002,180,60,9.75,9,0,1",
        )
    )
    assert [e["line"] for e in summary["errors"]] == [2]
    assert "already recorded with other figures" in summary["errors"][0]["reason"]
    assert ProductionEntry.objects.get().lifts == 1012
    assert ProductionEntry.objects.count() == 1


def test_an_operators_day_may_not_pass_16_hours_with_what_is_recorded(fleet):
    day = last_monday()
    _import(production_csv(f"{day},RES-101,T-101,2001,1000,980,12,10,0,2"))
    summary = _import(production_csv(f"{day},COM-201,T-201,2001,100,50,5,7,0,0"))
    assert summary["errors"] == [
        {
            "line": 2,
            "reason": f"operator 2001 would have 17.00 hours on {day:%m/%d/%Y}, more than 16.00",
        }
    ]
    assert ProductionEntry.objects.count() == 1


def test_a_card_number_in_a_line_is_masked_in_the_report(fleet):
    summary = _import(production_csv(f"{last_monday()},4111111111111111,T-101,2001,1,1,1,1,0,0"))
    reason = summary["errors"][0]["reason"]
    assert "4111111111111111" not in reason


def test_the_command_prints_the_summary_as_json_and_fails_on_errors(fleet, tmp_path, capsys):
    day = last_monday()
    good = tmp_path / "good.csv"
    good.write_bytes(production_csv(f"{day},RES-101,T-101,2001,1012,980,12.40,8.5,2,0.5"))
    call_command("import_route_production", str(good), "--json")
    summary = json.loads(capsys.readouterr().out)
    assert (summary["new"], summary["errors"]) == (1, [])
    bad = tmp_path / "bad.csv"
    bad.write_bytes(production_csv(f"{day},RES-101,T-101,2001,x,980,12.40,8.5,2,0.5"))
    with pytest.raises(SystemExit) as exit_:
        call_command("import_route_production", str(bad))
    assert exit_.value.code == 1
    assert "line 2: lifts 'x' is not a whole number" in capsys.readouterr().out
    call_command("import_route_production", str(good), "--json")
    assert json.loads(capsys.readouterr().out)["already_recorded"] == 1
    assert ProductionEntry.objects.count() == 1
