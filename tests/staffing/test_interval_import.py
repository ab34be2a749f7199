"""The phone system's interval import: every bad line by its number and
column, nothing kept unless the whole file is good, and safe to run twice."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from staffing.models import CallInterval, IntervalFile
from staffing.services.intervals import HEADER, intervals_import
from tests.staffing.calls_files import HAND_CHECKED, interval_csv

pytestmark = pytest.mark.django_db


def _import(*lines: str, content: bytes | None = None):
    return intervals_import(content=content or interval_csv(*lines), filename="intervals.csv")[0]


def test_a_good_file_records_every_row_with_its_figures():
    summary = _import(*HAND_CHECKED)
    assert summary["errors"] == []
    assert (summary["read"], summary["new"], summary["already_recorded"]) == (10, 10, 0)
    assert (summary["first_day"], summary["last_day"]) == ("2026-11-02", "2026-11-03")
    total = CallInterval.objects.get(queue="billing", agent_id="", starts_at__minute=0,
                                     starts_at__day=2)  # fmt: skip
    assert timezone.localtime(total.starts_at).strftime("%Y-%m-%d %H:%M") == "2026-11-02 08:00"
    assert (total.offered, total.answered, total.abandoned, total.answered_in_target) == (
        10, 8, 1, 6,
    )  # fmt: skip
    assert total.staffed_seconds is None and total.file == IntervalFile.objects.get()
    agent = CallInterval.objects.get(agent_id="4103")
    assert (agent.talk_seconds, agent.hold_seconds, agent.after_call_seconds) == (300, 30, 60)
    assert agent.staffed_seconds == 600


def test_every_bad_line_is_reported_by_number_and_column_and_nothing_is_recorded():
    started = timezone.localtime().replace(second=0, microsecond=0)
    started -= timedelta(minutes=started.minute % 15)  # the interval under way
    soon = started + timedelta(hours=1)
    summary = _import(
        "2026-11-02 08:00,billing,,10,8,1,6,200,1200,120,240,",  # good
        "2026-11-02 08:10,billing,,1,1,0,1,5,60,0,0,",  # not a quarter hour
        "2026-11-31 08:00,billing,,1,1,0,1,5,60,0,0,",  # no such day
        f"{soon:%Y-%m-%d %H:%M},billing,,0,0,0,0,0,0,0,0,",  # not yet
        f"{started:%Y-%m-%d %H:%M},billing,,0,0,0,0,0,0,0,0,",  # not yet ended
        "2026-11-02 08:15,billing,,5,4,2,4,40,600,0,120,",  # 4 + 2 > 5
        "2026-11-02 08:30,billing,,5,4,1,5,40,600,0,120,",  # 5 within of 4
        "2026-11-02 08:45,billing,,5,many,1,4,40,600,0,120,",  # not a number
        "2026-11-02 09:00,billing,,123456,4,1,4,40,600,0,120,",  # too many calls
        "2026-11-02 09:15,billing,4101,2,2,0,2,20,300,30,60,",  # agent without staffed
        "2026-11-02 09:30,billing,,2,2,0,2,20,300,30,60,900",  # queue with staffed
        "2026-11-02 09:45,billing,4101,2,2,0,2,20,300,30,60,901",  # over the interval
        "2026-11-02 10:00,billing,4101,2,2,0,2,20,600,100,160,800",  # busier than staffed
        "2026-11-02 10:15,bill ing,,0,0,0,0,0,0,0,0,",  # not a code
        "2026-11-02 10:30,billing,,0,0,0,0,7,0,0,0,",  # a delay without answers
        "2026-11-02 08:00,billing,,10,8,1,6,200,1200,120,240,",  # same as line 2
        "2026-11-02 10:45,billing,,0,0,0",  # short
        "2026-11-02 11:00,billing,4111111111111111,0,0,0,0,0,0,0,0,0",  # a card number
    )
    reasons = {error["line"]: error["reason"] for error in summary["errors"]}
    assert sorted(reasons) == list(range(3, 20))
    assert "does not start a 15-minute interval" in reasons[3]
    assert "interval_start 2026-11-31 08:00 is not a real date" in reasons[4]
    assert "has not ended yet" in reasons[5] and "has not ended yet" in reasons[6]
    assert "answered (4) and abandoned (2) are more than offered (5)" in reasons[7]
    assert "answered_in_20s (5) is more than answered (4)" in reasons[8]
    assert reasons[9].startswith("answered 'many' is not a whole number")
    assert reasons[10].startswith("offered '123456' is not a whole number from 0 to 99,999")
    assert "staffed_seconds is needed on an agent's row" in reasons[11]
    assert "staffed_seconds is only for an agent's row" in reasons[12]
    assert "staffed_seconds (901) is more than the interval's 900" in reasons[13]
    assert "talk, hold and after-call seconds (860) are more than staffed_seconds" in reasons[14]
    assert reasons[15].startswith("queue 'bill ing' is not a code")
    assert "answer_delay_seconds must be 0" in reasons[16]
    assert reasons[17] == "the same interval, queue and agent as line 2"
    assert reasons[18] == "expected 12 fields, found 6"
    assert reasons[19].startswith("agent_id looks like a card number")
    assert "4111111111111111" not in str(summary)
    assert summary["new"] == 0 and not CallInterval.objects.exists()
    assert IntervalFile.objects.get().summary["errors"] == summary["errors"]


def test_a_wrong_header_or_an_unreadable_file_is_refused_at_line_one():
    wrong = _import(content=b"start,queue\n2026-11-02 08:00,billing\n")
    assert wrong["errors"] == [{"line": 1, "reason": "the header row must be " + ",".join(HEADER)}]
    latin = _import(
        content=interval_csv("2026-11-02 08:00,fac\xe9,,0,0,0,0,0,0,0,0,")
        .decode()
        .encode("latin-1")
    )
    assert latin["errors"][0]["line"] == 1 and "not UTF-8" in latin["errors"][0]["reason"]
    assert not CallInterval.objects.exists()


def test_importing_the_same_file_twice_records_it_once():
    _import(*HAND_CHECKED)
    again = _import(*HAND_CHECKED)
    assert again["errors"] == [] and again["new"] == 0
    assert again["already_recorded"] == 10 and again["same_file_as"]["filename"] == "intervals.csv"
    assert CallInterval.objects.count() == 10
    assert IntervalFile.objects.count() == 2  # each upload is kept, the repeat without its text
    # Another file repeating rows with the same figures adds only the new ones...
    more = _import(HAND_CHECKED[0], "2026-11-03 08:15,billing,,1,1,0,1,4,100,0,20,")
    assert (more["new"], more["already_recorded"], more["errors"]) == (1, 1, [])
    # ...and one with other figures for an interval already recorded is refused whole.
    changed = _import("2026-11-03 08:30,billing,,1,1,0,1,4,100,0,20,",
                      "2026-11-02 08:00,billing,,11,8,1,6,200,1200,120,240,")  # fmt: skip
    assert changed["errors"] == [
        {
            "line": 3,
            "reason": "billing, the queue's total, 11/02/2026 08:00 is already recorded "
            "with other figures",
        }
    ]
    assert CallInterval.objects.count() == 11


def test_the_command_imports_a_file_and_exits_1_on_a_bad_one(tmp_path, capsys):
    good = tmp_path / "intervals.csv"
    good.write_bytes(interval_csv(*HAND_CHECKED))
    call_command("import_call_intervals", str(good), "--json")
    assert json.loads(capsys.readouterr().out)["new"] == 10
    bad = tmp_path / "bad.csv"
    bad.write_bytes(interval_csv("2026-11-04 08:00,billing,,x,0,0,0,0,0,0,0,"))
    with pytest.raises(SystemExit) as exit_:
        call_command("import_call_intervals", str(bad))
    assert exit_.value.code == 1
    assert "line 2: offered 'x' is not a whole number" in capsys.readouterr().out
    call_command("import_call_intervals", str(good))
    assert "already recorded 10 (the same file as one imported before)" in capsys.readouterr().out
    assert CallInterval.objects.count() == 10
