"""The sums the counter's live panel shows and payment_take refuses by."""

from decimal import Decimal as D

from accounts.rules.scanline import scan_line
from cashiering.forms import counter_tally, drawer_count_read, scan_lines_read
from cashiering.rules.tally import tally


def test_cash_over_the_amount_due_is_change():
    sums = tally([D("52.37"), D("10")], [("CASH", D("60")), ("CHECK", D("5"))])
    assert (sums.due, sums.tendered, sums.cash) == (D("62.37"), D("65.00"), D("60.00"))
    assert (sums.change, sums.short, sums.non_cash_over) == (D("2.63"), D("0.00"), False)


def test_a_check_for_more_than_is_due_gives_no_change():
    sums = tally([D("10")], [("CHECK", D("20"))])
    assert sums.non_cash_over and sums.change == D("0.00")


def test_tenders_short_of_the_amount_due_say_what_is_left():
    sums = tally([D("100")], [("CASH", D("40.50"))])
    assert (sums.short, sums.change) == (D("59.50"), D("0.00"))


def test_what_is_not_yet_a_number_counts_as_nothing():
    data = {"amount_1": "12.5", "amount_2": "abc", "amount_3": "-4", "tender_1": "CASH"}
    data |= {"tender_amount_1": "1e999", "tender_2": "", "tender_amount_2": "9"}
    sums = counter_tally(data)
    assert (sums.due, sums.tendered) == (D("12.50"), D("0.00"))
    counts, checks = drawer_count_read({"d_100": "2", "d_50": "x", "checks": "$1,040.00\nabc\n"})
    assert counts["100"] == 2 and counts["50"] == 0 and checks == [D("1040.00")]


def test_a_scan_line_stands_for_its_account_and_amount_only_where_none_is_typed():
    line = scan_line("1000000016", D("256.58"))
    assert scan_lines_read({"account_1": line}) == {
        "account_1": "1000000016",
        "amount_1": "256.58",
    }
    typed = scan_lines_read({"account_1": line, "amount_1": "20"})
    assert typed["amount_1"] == "20"
    assert scan_lines_read({"account_1": "1000000016"}) == {"account_1": "1000000016"}
    broken = line[:-1] + str((int(line[-1]) + 1) % 10)  # a misread check digit
    assert scan_lines_read({"account_1": broken}) == {"account_1": broken}
