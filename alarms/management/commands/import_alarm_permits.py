from alarms.services.registrations import registrations_import
from mesa_cs.lib.import_command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import an alarm company's permit registrations (CSV, interchange_formats.md). "
        "All or nothing; exit 0 only when every row was registered."
    )
    command = "import_alarm_permits"

    def run_import(self, content, filename):
        return registrations_import(content=content, filename=filename)[0]

    def describe(self, summary):
        return f"created {summary['created']}, renewed {summary['renewed']}"
