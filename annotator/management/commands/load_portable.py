from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotator.backup import RestoreRefused, portable_load


class Command(BaseCommand):
    help = "Restore a dump_portable file into a freshly migrated, empty database (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("dump", type=Path)

    def handle(self, *args, dump: Path, **options):
        if not dump.is_file():
            raise CommandError(f"{dump} is not a file.")
        try:
            portable_load(dump)
        except RestoreRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {dump}.")
