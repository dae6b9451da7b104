"""Import articles from files, folders and JSON Lines, one bad item never stopping the rest."""

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from annotator.services import BulkErrors
from annotator.services.reimport import article_import
from articles.extracted import Extracted
from articles.ingest import SUPPORTED, extract_bytes
from articles.intake import article_create_extracted


@dataclass
class Summary:
    imported: int = 0
    revised: int = 0
    duplicates: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)


def _reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            return "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
        return " ".join(error.messages)
    if isinstance(error, BulkErrors):
        return f"{error}: {json.dumps(error.errors, ensure_ascii=False)[:300]}"
    return str(error)


class Command(BaseCommand):
    help = "Import articles from .txt/.html/.htm/.md/.docx files, folders of them, and .jsonl files of {title, text, ...} records."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument(
            "--user",
            default=None,
            help="Username the articles are created by (an editor; default: the first superuser).",
        )

    def handle(self, *args, paths, user, **options):
        User = get_user_model()
        creator = (
            User.objects.filter(username=user).first()
            if user
            else User.objects.filter(is_superuser=True).order_by("id").first()
        )
        if creator is None:
            raise CommandError(
                "No such user; pass --user with an editor's username (or create a superuser)."
            )
        files = self._files(paths)
        summary = Summary()
        total = len(files)
        for number, path in enumerate(files, start=1):
            if path.suffix.lower() == ".jsonl":
                self._import_jsonl(path, creator, summary)
            else:
                self._import_file(path, creator, summary)
            if number % 25 == 0 or number == total:
                self.stderr.write(f"  {number}/{total} files, {summary.imported} imported")
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {summary.imported}, duplicates skipped {summary.duplicates}, refused {len(summary.refused)}. "
                f"Revised {summary.revised} (a story already here by its source URL, with a new text)."
            )
        )
        for name, reason in summary.refused:
            self.stdout.write(f"  refused {name}: {reason}")

    def _files(self, paths: list[Path]) -> list[Path]:
        found = []
        for path in paths:
            if path.is_dir():
                found += sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in (*SUPPORTED, ".jsonl")
                )
            elif path.exists():
                found.append(path)
            else:
                raise CommandError(f"{path} does not exist.")
        return found

    @staticmethod
    def _extracted(path: Path) -> Extracted:
        extracted = extract_bytes(path.name, path.read_bytes())
        if not extracted.title:
            # A file without a headline is named after its file name.
            extracted = replace(
                extracted,
                title=path.stem.replace("-", " ").replace("_", " "),
                sources={**extracted.sources, "title": {"source": "the file's name"}},
            )
        return extracted

    def _import_file(self, path: Path, creator, summary: Summary) -> None:
        def run() -> str:
            outcomes: list[str] = []

            def create(**fields):
                article, outcome = article_import(user=creator, **fields)
                outcomes.append(outcome)
                return article, outcome == "created"

            # As the new-article page does: the article keeps the record of where its text
            # and metadata came from.
            article_create_extracted(extracted=self._extracted(path), create=create)
            return outcomes[0]

        self._import(path.name, run, summary)

    def _import_jsonl(self, path: Path, creator, summary: Summary) -> None:
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                if line.strip():
                    self._import(
                        f"{path.name}:{number}",
                        lambda line=line: article_import(user=creator, **self._record(line))[1],
                        summary,
                    )

    @staticmethod
    def _record(line: str) -> dict:
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValidationError(
                f"not valid JSON ({error.msg} at column {error.colno})."
            ) from error
        if not isinstance(record, dict):
            raise ValidationError("each line must be a JSON object.")
        allowed = {
            "title",
            "text",
            "byline",
            "source_url",
            "published_at",
            "language",
            "annotations",
        }
        data = {key: record[key] for key in allowed if key in record}
        if isinstance(data.get("published_at"), str):
            data["published_at"] = parse_datetime(data["published_at"])
        return data

    def _import(self, name: str, run, summary: Summary) -> None:
        """Count what ``run`` (one item's import, answering its outcome) did, or why it was
        refused."""
        try:
            outcome = run()
        except (
            ValidationError,
            BulkErrors,
            PermissionDenied,
            OSError,
            TypeError,
            ValueError,
        ) as error:
            summary.refused.append((name, _reason(error)))
            return
        if outcome == "created":
            summary.imported += 1
        elif outcome == "revised":
            summary.revised += 1
        else:
            summary.duplicates += 1
