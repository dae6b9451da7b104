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


def schema_for(api_as, user) -> dict:
    return yaml.safe_load(api_as(user).get("/api/schema/").content)


def test_every_operation_documents_its_error_answers(api_as, annotator_user):
    schema = schema_for(api_as, annotator_user)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert "429" in responses, (method, path)
            assert "Retry-After" in responses["429"]["headers"]
            if "{" in path:
                assert "404" in responses, (method, path)
            if "requestBody" in operation:
                assert {"400", "415"} <= set(responses), (method, path)
            if path != "/api/auth/token/":
                assert {"401", "403"} <= set(responses), (method, path)
    components = schema["components"]["schemas"]
    assert components["Error"]["required"] == ["detail"]
    assert "ValidationError" in components


def test_creates_document_the_idempotency_key(api_as, annotator_user):
    schema = schema_for(api_as, annotator_user)
    for path in [
        "/api/articles/",
        "/api/annotations/",
        "/api/annotations/bulk/",
        "/api/entities/",
        "/api/relations/",
    ]:
        operation = schema["paths"][path]["post"]
        names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
        assert "Idempotency-Key" in names, path
        assert {"409", "422"} <= set(operation["responses"]), path
    assert "Idempotency-Key" not in str(schema["paths"]["/api/auth/token/"])


def test_export_documents_each_formats_content_type(api_as, annotator_user):
    content = schema_for(api_as, annotator_user)["paths"]["/api/export/{export_format}/"]["get"][
        "responses"
    ]["200"]["content"]
    assert {
        "text/csv",
        "application/x-ndjson",
        "application/ld+json",
        "text/plain",
        "application/zip",
    } <= set(content)


def test_unknown_api_paths_answer_json_404(client, annotator_user):
    client.force_login(annotator_user)
    response = client.get("/api/annotations/not-a-number/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert client.get("/no-such-page/")["Content-Type"].startswith("text/html")


def test_a_query_parameter_given_twice_gets_400(api_as, annotator_user):
    response = api_as(annotator_user).get("/api/annotations/?status=pending&status=approved")
    assert response.status_code == 400
    assert response.json() == {"status": ["give this parameter once."]}


@pytest.mark.parametrize("size", ["0", "-1", "ten", "٣"])
def test_a_page_size_that_is_not_a_positive_number_gets_400(api_as, annotator_user, size):
    response = api_as(annotator_user).get(f"/api/annotations/?page_size={size}")
    assert response.status_code == 400
    assert "page_size" in response.json()


def test_page_size_above_the_maximum_is_capped(api_as, annotator_user, article):
    response = api_as(annotator_user).get("/api/articles/?page_size=5000")
    assert response.status_code == 200


def test_include_deleted_takes_only_true_or_false(api_as, annotator_user):
    assert api_as(annotator_user).get("/api/annotations/?include_deleted=AAA").status_code == 400
    assert api_as(annotator_user).get("/api/annotations/?include_deleted=true").status_code == 200


def test_entity_create_answers_its_counts(api_as, editor_user):
    response = api_as(editor_user).post("/api/entities/", {"name": "Ana", "type": "person"})
    assert response.status_code == 201
    assert (response.json()["mention_count"], response.json()["quote_count"]) == (0, 0)


@pytest.mark.parametrize("path", ["/api/articles/", "/api/annotations/"])
def test_times_with_any_offset_python_reads_are_compared_as_instants(
    api_as, editor_user, entity_span, path
):
    client = api_as(editor_user)
    # -18:44 is beyond what PostgreSQL takes as an offset; it was a 500 there.
    far = client.get(path, {"created_after": "0376-01-09T09:19:24-18:44"})
    assert far.status_code == 200
    assert far.json()["count"] >= 1
    later = client.get(path, {"created_after": "9999-12-31T23:59:59-23:59"})
    assert later.status_code == 400
    assert "created_after" in later.json()
