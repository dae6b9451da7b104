"""The OpenAPI schema tells the truth: schemathesis calls every operation on the live server
with data the schema allows and data it forbids, and checks each answer against it."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import PASSWORD, tag

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
EXAMPLES_PER_OPERATION = 5


def served_schema() -> dict:
    """The schema /api/schema/ serves, as JSON (made here, at collection, so the operations
    are known before the live server starts; a test below checks the server serves this)."""
    import orjson
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    return orjson.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(public=True)))


@pytest.fixture
def no_outside_fetches(monkeypatch):
    """Schemathesis fills `source_url` with made-up hosts and may ask for `"fetch": true`: no
    lookup or request may leave this machine, so every name reads as one that does not exist
    (the answer a real unknown host gets, a 400 on source_url)."""
    from articles import fetch

    def resolve_nothing(host: str, port: int) -> str:
        raise fetch._refuse(f"{host} could not be found (no such host).")

    monkeypatch.setattr(fetch, "_resolve", resolve_nothing)


@pytest.fixture
def token(live_server, transactional_db, settings, no_outside_fetches):
    from django.contrib.auth.models import Group

    from annotator.defaults import create_defaults
    from annotator.models import Label
    from annotator.services import entity_create, relation_create
    from articles.services import article_create
    from tests.conftest import TRICKY_TEXT, make_user

    # The live server needs committed data; the flush between such tests takes the default
    # labels and groups along, so put them back.
    create_defaults(Label, Group)
    # Schemathesis sends hundreds of calls a second; the rate limits are tested elsewhere.
    settings.API_RATE_LIMITS = {"user": None, "anon": None}
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 100_000
    editor = make_user("edith", "Editor", is_staff=True, is_superuser=True)
    article, _ = article_create(user=editor, title="Tricky", text=TRICKY_TEXT, language="es")
    person = tag(article, editor, "person", "Claudia Sheinbaum")
    quote = tag(article, editor, "quote", "Ça va très bien")
    tag(article, editor, "claim", "habló en la Ciudad de México")
    relation_create(source=quote, target=person, type="spoken_by", author=editor)
    entity_create(name="Claudia Sheinbaum", type="person")
    return login(live_server.url)


def login(base_url: str) -> str:
    import requests

    response = requests.post(
        f"{base_url}/api/auth/token/", json={"username": "edith", "password": PASSWORD}, timeout=30
    )
    response.raise_for_status()
    return response.json()["token"]


schema = schemathesis.openapi.from_dict(served_schema())


def test_the_server_serves_the_schema_under_test(live_server, token):
    import requests

    response = requests.get(
        f"{live_server.url}/api/schema/?format=json",
        headers={"Authorization": f"Token {token}"},
        timeout=30,
    )
    assert response.json() == served_schema()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_the_schema_says(case, live_server, token):
    case.call_and_validate(
        base_url=live_server.url, headers={"Authorization": f"Token {token}"}, checks=CHECKS
    )
