"""Money, days, times and staff are written one way (docs/ui.md): a template
or a message that formats them by hand fails here, so it cannot come back."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

TEMPLATE_RULES = {
    # "$" written before a value: the money filter writes the sign and the minus.
    "a dollar sign before a value (use |money)": re.compile(r"\$\s*\{[{%]"),
    "floatformat with intcomma (use |money)": re.compile(
        r"floatformat:['\"]?2['\"]?\|intcomma|floatformat:2\s*\}\}"
    ),
    "stringformat for an amount (use |money)": re.compile(r"stringformat:['\"][^'\"]*f['\"]"),
    # Only a date <input>'s value (Y-m-d) and a weekday name are written otherwise.
    "a date format of its own (use |day or |moment)": re.compile(
        r"\|date:(?![\"']Y-m-d[\"']|[\"']l[\"'])"
    ),
    "a login where a name belongs (use |staff_name)": re.compile(
        r"\.(?:username|get_username)\s*(?:\}\}|\|)"
    ),
}

# Every template writes money, days and staff one way; none is excused.
NOT_YET: set[str] = set()

TEMPLATES = sorted(
    path
    for path in (ROOT / "templates").rglob("*.html")
    if str(path.relative_to(ROOT / "templates")) not in NOT_YET
)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_templates_write_money_days_and_staff_one_way(path):
    text = path.read_text()
    found = [
        f"line {text.count(chr(10), 0, match.start()) + 1}: {rule}: {match.group(0)!r}"
        for rule, pattern in TEMPLATE_RULES.items()
        for match in pattern.finditer(text)
    ]
    assert found == []


# An f-string putting "$" before a value ("${amount}", "${x:,.2f}") in a message,
# a work item's title or a ledger description; money_text writes amounts.
DOLLAR_FSTRING = re.compile(r"\$\{")
PYTHON_NOT_YET = {
    "cashiering/forms.py",  # "$100" names a bank note, not an amount
}
APPS = ("accounts", "alarms", "billing", "cashiering", "credit", "solidwaste", "staffing")


def _python_sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = str(path.relative_to(ROOT))
            if "/migrations/" not in relative and relative not in PYTHON_NOT_YET:
                yield path


def test_python_writes_amounts_with_money_text():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _python_sources()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if DOLLAR_FSTRING.search(line)
    ]
    assert found == []


def test_the_rules_catch_what_they_are_for():
    samples = {
        "${{ x|intcomma }}": "a dollar sign",
        "{{ x|floatformat:2|intcomma }}": "floatformat",
        '{{ x|stringformat:".2f" }}': "stringformat",
        '{{ x|date:"M j, Y" }}': "a date format",
        "{{ x.requested_by.username }}": "a login",
    }
    for sample, rule in samples.items():
        assert any(
            name.startswith(rule) and pattern.search(sample)
            for name, pattern in TEMPLATE_RULES.items()
        ), sample
    for fine in ("{{ x|money }}", "{{ d|date:'Y-m-d' }}", '{{ d|date:"l" }}', "{{ u|staff_name }}"):
        assert not any(pattern.search(fine) for pattern in TEMPLATE_RULES.values()), fine
