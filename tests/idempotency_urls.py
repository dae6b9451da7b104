"""The project's URLs plus one API view that fails after its create has been written, the way
a response that breaks after the commit does (tests/test_idempotency.py)."""

from django.urls import path
from rest_framework.decorators import api_view

from annotator.urls import urlpatterns as project_urls
from articles.services import article_create


@api_view(["POST"])
def create_then_fail(request):
    article_create(user=request.user, title="Half made", text="Written, then the answer broke.")
    raise RuntimeError("the response could not be built")


urlpatterns = [path("api/create-then-fail/", create_then_fail), *project_urls]
