from alarms.services.feed import feed_import
from mesa_cs.lib.formatting import money_text
from mesa_cs.lib.import_command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import the Police Department's alarm dispatch feed (CSV, interchange_formats.md). "
        "Exit 0 when every row was read; 1 when a row or the whole file was refused."
    )
    command = "import_false_alarms"

    def run_import(self, content, filename):
        return feed_import(content=content, filename=filename)[0]

    def describe(self, summary):
        counts = summary["incidents"]
        return (
            f"read {counts['read']}, new {counts['new']}, duplicates {counts['duplicates']}, "
            f"errors {counts['errors']}; assessed {money_text(summary['total_assessed'])}, "
            f"{len(summary['suspensions'])} suspended"
        )
