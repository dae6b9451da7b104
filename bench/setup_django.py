"""Start Django on a throw-away database for a benchmark (SQLite file, or DATABASE_URL)."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def start() -> str:
    folder = tempfile.mkdtemp(prefix="newsdesk-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("STATIC_MANIFEST", "0")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ["DJANGO_SETTINGS_MODULE"] = "annotator.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return folder


def make_user(name: str, group: str | None = None):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user, _ = get_user_model().objects.get_or_create(username=name)
    user.set_password("bench-pass-1")
    user.save()
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


PARAGRAPH = (
    "El presidente 🇲🇽 dijo que la economía creció 3,2 % en 2025, según cifras del INEGI. "
    "“No vamos a subordinarnos”, afirmó la secretaria ante la prensa en Ciudad de México. "
)


def long_text(chars: int) -> str:
    paragraphs, size = [], 0
    while size < chars:
        paragraphs.append(PARAGRAPH * 3)
        size += len(paragraphs[-1]) + 2
    return "\n\n".join(paragraphs)[:chars].rstrip()


def fill_article(article, user, count: int) -> None:
    """``count`` annotations spread over the text (claims, quotes and entities, nested)."""
    from annotator.anchoring import make_span
    from annotator.models import Annotation, Label

    labels = {label.slug: label for label in Label.objects.all()}
    text = article.text
    step = max(1, len(text) // count)
    rows = []
    for i in range(count):
        start = (i * step) % max(1, len(text) - 60)
        slug = ("claim", "quote", "person", "organization", "location")[i % 5]
        end = start + (40 if slug in ("claim", "quote") else 12)
        span = make_span(text, start, end)
        rows.append(
            Annotation(
                article=article, revision_id=article.current_revision_id, label=labels[slug],
                start=span.start, end=span.end, quote=span.quote, prefix=span.prefix, suffix=span.suffix,
                attributes={"fact_check_state": "unchecked"} if slug == "claim" else {}, author=user,
                status="approved" if i % 7 == 0 else "pending",
            )
        )  # fmt: skip
    Annotation.objects.bulk_create(rows, batch_size=2000)
