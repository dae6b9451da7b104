from pathlib import Path

from django.core.management.base import BaseCommand

from annotator.backup import portable_dump


class Command(BaseCommand):
    help = (
        "Write everything the newsroom made to a JSON file that load_portable restores into a "
        "freshly migrated database, SQLite or PostgreSQL."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", type=Path)

    def handle(self, *args, output: Path, **options):
        portable_dump(output)
        self.stdout.write(f"Dumped to {output}.")
