"""The tender sources the product ships with (installed by migration 0002)."""

SOURCES = [
    ("MAIN", "Main counter drawer", "drawer", "Main (55 N Center St)"),
    ("EAST", "East counter drawer", "drawer", "East (6935 E Decatur St)"),
    ("KIOSK", "Payment kiosks", "file", "Unattended Payment Center"),
    ("DROPBOX", "Drop box", "file", "Unattended Payment Center"),
    ("LOCKBOX", "Bank lockbox", "file", "Bank"),
    ("ONLINE", "Online payments", "file", "Bank"),
    ("ACH", "ACH", "file", "Bank"),
]


def install_sources(tender_source_model) -> None:
    for code, name, kind, office in SOURCES:
        tender_source_model.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "office": office}
        )
