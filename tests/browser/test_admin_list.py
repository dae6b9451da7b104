import pytest

from tests.conftest import tag

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_admin_annotation_table_fits_its_container(open_as, superuser, editor_user):
    from articles.services import article_create

    long_words = "Una declaración larguísima sobre la economía nacional y sus perspectivas " * 3
    article, _ = article_create(
        user=editor_user, title="T" * 40 + " " + "título " * 30, text=long_words
    )
    tag(article, editor_user, "claim", long_words[:220])
    page = open_as(
        superuser, "/admin/annotator/annotation/", viewport={"width": 1280, "height": 900}
    )
    table, box = page.evaluate(
        """() => [document.querySelector('#result_list').getBoundingClientRect().width,
                  document.querySelector('#changelist .results').getBoundingClientRect().width]"""
    )
    assert table <= box + 1, (table, box)
    scroll, client = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll <= client
