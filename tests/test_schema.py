import pytest
import yaml

pytestmark = pytest.mark.django_db


def test_openapi_schema_describes_the_contract(api_as, annotator_user):
    response = api_as(annotator_user).get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path in [
        "/api/articles/", "/api/articles/{id}/", "/api/articles/{id}/revisions/", "/api/articles/{id}/suggest/",
        "/api/annotations/", "/api/annotations/{id}/", "/api/annotations/bulk/", "/api/annotations/{id}/approve/",
        "/api/annotations/{id}/reject/", "/api/labels/", "/api/entities/", "/api/relations/",
        "/api/export/{export_format}/", "/api/auth/token/",
    ]:  # fmt: skip
        assert path in paths, path
    names = {p["name"] for p in paths["/api/annotations/"]["get"]["parameters"]}
    assert {
        "article",
        "label",
        "kind",
        "status",
        "origin",
        "author",
        "created_after",
        "updated_after",
        "created_before",
        "q",
        "speaker",
    } <= names
    assert "409" in paths["/api/annotations/{id}/"]["patch"]["responses"]


def test_interactive_docs_load_their_assets_locally(client, annotator_user):
    client.force_login(annotator_user)
    page = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in page
    assert "cdn.jsdelivr" not in page and "unpkg" not in page
