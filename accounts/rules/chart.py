"""The standard chart of accounts the product ships with.

Installed by migration 0005; administrators add and deactivate accounts in
Django admin. ``install_standard_chart`` only adds what is missing.
"""

UTILITIES = [
    ("electric", "Electric"),
    ("gas", "Natural gas"),
    ("water", "Water"),
    ("wastewater", "Wastewater"),
    ("solid_waste", "Solid waste"),
    ("irrigation", "Irrigation"),
]
# Revenue by rate schedule for the shipped rate book.
SCHEDULES = {
    "electric": ["E1.1", "E3.1"],
    "gas": ["G1.1"],
    "water": ["W1.1", "W3.1"],
    "wastewater": ["S1.1", "S3.1"],
    "solid_waste": ["SW1.1", "SW1.2", "SW1.3", "SW3.1"],
    "irrigation": ["I1.1"],
}


def standard_chart() -> list[tuple[str, str, str, str, str]]:
    """(code, name, purpose, utility, rate schedule) rows."""
    rows = [
        ("1010", "Cash and deposits in transit", "cash", "", ""),
        ("1190", "Customer receivable, fees and credits", "receivable", "", ""),
        ("1300", "Pre-petition receivable, bankruptcy claims", "prepetition", "", ""),
        ("2100", "Customer deposits held", "deposits", "", ""),
        ("2200", "Sales tax payable", "tax", "", ""),
        ("2300", "Suspense, unapplied cash", "suspense", "", ""),
        ("2400", "Customer refunds payable", "refunds", "", ""),
        ("4800", "Alarm permit and false alarm fees", "alarm_fees", "", ""),
        ("4900", "Service fees (set-up, connection, late, returned payment)", "fees", "", ""),
        ("6100", "Bad debt expense", "bad_debt", "", ""),
        ("6200", "Cash over and short", "over_short", "", ""),
    ]
    for index, (utility, label) in enumerate(UTILITIES, start=1):
        rows.append(
            (f"110{index}", f"Customer receivable, {label.lower()}", "receivable", utility, "")
        )
        rows.append((f"4{index}00", f"{label} revenue", "revenue", utility, ""))
        for n, code in enumerate(SCHEDULES[utility], start=1):
            rows.append((f"4{index}{n:02d}", f"{label} revenue, {code}", "revenue", utility, code))
    return rows


def install_standard_chart(gl_account_model) -> None:
    """Takes the model as an argument so a data migration can pass its own."""
    for code, name, purpose, utility, schedule in standard_chart():
        gl_account_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "purpose": purpose,
                "utility": utility,
                "rate_schedule": schedule,
            },
        )
