"""The phone system's nightly interval file, for a scheduled job: the same
import as the upload page (docs/contact_center.md)."""

from mesa_cs.lib.import_command import ImportCommand
from staffing.services.intervals import HEADER, intervals_import


class Command(ImportCommand):
    command = "import_call_intervals"
    help = (
        "Import the phone system's 15-minute interval data from a CSV file ("
        + ",".join(HEADER)
        + "). All or nothing; exit 0 only when every row was recorded or already was."
    )

    def run_import(self, content: bytes, filename: str) -> dict:
        return intervals_import(content=content, filename=filename)[0]

    def describe(self, summary: dict) -> str:
        repeat = " (the same file as one imported before)" if summary["same_file_as"] else ""
        return (
            f"read {summary['read']}, recorded {summary['new']}, "
            f"already recorded {summary['already_recorded']}{repeat}"
        )
