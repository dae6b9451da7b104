from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotator.backup import sqlite_backup


class Command(BaseCommand):
    help = "Copy the SQLite database to a file with SQLite's online backup API (safe while the app runs)."

    def add_arguments(self, parser):
        parser.add_argument("destination", type=Path)

    def handle(self, *args, destination: Path, **options):
        if destination.exists():
            raise CommandError(f"{destination} exists; give a new file name.")
        try:
            sqlite_backup(destination)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backed up to {destination}.")
