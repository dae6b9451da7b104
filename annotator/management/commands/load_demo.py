"""Load the demo: the seed article, hand-made annotations of each kind, one user per role."""

import json
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from annotator.models import Entity, EntityType, Relation
from annotator.services import annotation_create, annotation_review, relation_create
from articles import roles
from articles.models import Article
from articles.services import article_create

SEED = Path(__file__).resolve().parents[2] / "demo" / "article-us-mexico-cartels.txt"
PASSWORDS_FILE = Path(settings.BASE_DIR) / ".demo-passwords.json"

USERS = [
    ("admin", None, True),
    ("editor", roles.EDITOR, False),
    ("reviewer", roles.REVIEWER, False),
    ("annotator", roles.ANNOTATOR, False),
]

ENTITIES = [
    ("Donald Trump", EntityType.PERSON, ["Trump"], "Q22686"),
    ("Claudia Sheinbaum", EntityType.PERSON, ["Sheinbaum"], "Q4401233"),
    ("NBC News", EntityType.ORGANIZATION, ["NBC"], "Q1191242"),
    ("Central Intelligence Agency", EntityType.ORGANIZATION, ["CIA"], "Q37230"),
    ("Joint Special Operations Command", EntityType.ORGANIZATION, ["JSOC"], "Q1361285"),
    ("Mexico", EntityType.LOCATION, [], "Q96"),
    ("Mexico City", EntityType.LOCATION, ["CDMX"], "Q1489"),
    ("Tren de Aragua", EntityType.ORGANIZATION, [], "Q111470858"),
]

# (label, exact text, attributes, annotator) — offsets are found in the seed text, never typed.
SPANS = [
    ("person", "Donald Trump", {"entity": "Donald Trump"}, "annotator"),
    ("organization", "NBC News", {"entity": "NBC News"}, "annotator"),
    (
        "organization",
        "Joint Special Operations Command",
        {"entity": "Joint Special Operations Command"},
        "annotator",
    ),
    ("location", "Mexico City", {"entity": "Mexico City"}, "annotator"),
    ("person", "Claudia Sheinbaum", {"entity": "Claudia Sheinbaum"}, "annotator"),
    ("organization", "Tren de Aragua", {"entity": "Tren de Aragua"}, "editor"),
    (
        "quote",
        "Mexico coordinates and collaborates, but does not subordinate itself,",
        {"speaker": "Claudia Sheinbaum", "attribution": "direct"},
        "annotator",
    ),
    (
        "quote",
        "anyone who attempts to introduce drugs into the United States will face lethal punishment.",
        {"speaker": "Donald Trump", "speaker_name": "The president", "attribution": "direct"},
        "editor",
    ),
    (
        "claim",
        "the State Department had already designated six Mexican cartels—along with MS-13 and the "
        "Venezuelan Tren de Aragua—as foreign terrorist organizations",
        {
            "check_worthiness": "high",
            "fact_check_state": "checked",
            "verdict": "true",
            "verdict_note": "The designation was published in the Federal Register in February 2025.",
        },
        "annotator",
    ),
    (
        "claim",
        "deploying 10,000 soldiers to the border and extraditing more than 50 criminal leaders",
        {"check_worthiness": "high", "fact_check_state": "checking"},
        "editor",
    ),
]


class Command(BaseCommand):
    help = "Load the demo article, its annotations and one user per role (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="Password for every demo user (default: generated once, kept in .demo-passwords.json)",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        passwords = self._passwords(options.get("password"))
        users = {}
        User = get_user_model()
        for username, group, superuser in USERS:
            user, _ = User.objects.get_or_create(
                username=username, defaults={"email": f"{username}@newsdesk.example"}
            )
            user.is_superuser = superuser
            user.is_staff = superuser or group in (roles.EDITOR, roles.REVIEWER)
            user.set_password(passwords[username])
            user.save()
            if group:
                user.groups.set([Group.objects.get(name=group)])
            users[username] = user

        text = SEED.read_text(encoding="utf-8")
        article, created = article_create(
            user=users["editor"],
            title="Trump administration plans a military mission against cartels inside Mexico",
            text=text,
            source_url="https://www.nbcnews.com/",
            language="en",
        )
        if created:
            article.status = Article.Status.ANNOTATING
            article.save(update_fields=["status"])
            self._annotate(article, users)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo article: /articles/{article.pk}/ ({'created' if created else 'already there'})"
            )
        )
        self.stdout.write("Demo users (username / password):")
        for username, group, _ in USERS:
            self.stdout.write(f"  {username:<10} {passwords[username]:<24} {group or 'superuser'}")

    def _passwords(self, given: str | None) -> dict[str, str]:
        if given:
            return {username: given for username, *_ in USERS}
        stored = json.loads(PASSWORDS_FILE.read_text()) if PASSWORDS_FILE.exists() else {}
        for username, *_ in USERS:
            stored.setdefault(username, f"{username}-{secrets.token_urlsafe(9)}")
        PASSWORDS_FILE.write_text(json.dumps(stored, indent=2))
        return stored

    def _annotate(self, article, users):
        entities = {}
        for name, kind, aliases, qid in ENTITIES:
            entities[name], _ = Entity.objects.get_or_create(
                name=name, defaults={"type": kind, "aliases": aliases, "wikidata_qid": qid}
            )
        made = {}
        for label, exact, attributes, author in SPANS:
            start = article.text.index(exact)
            attributes = {
                key: entities[value].pk if key in ("entity", "speaker") else value
                for key, value in attributes.items()
            }
            made[exact] = annotation_create(
                article=article,
                author=users[author],
                label=label,
                start=start,
                end=start + len(exact),
                quote=exact,
                attributes=attributes,
            )
        relation_create(
            source=made["Mexico coordinates and collaborates, but does not subordinate itself,"],
            target=made["Claudia Sheinbaum"],
            type=Relation.Type.SPOKEN_BY,
            author=users["annotator"],
        )
        # One reviewed tag so the review states show on the page.
        annotation_review(annotation=made["NBC News"], reviewer=users["reviewer"], approve=True)
