"""Full-text search over articles (title, byline, text), on PostgreSQL and SQLite.

A Django app of its own (label ``article_search``) so that its index table, triggers and
migrations stay apart from the article models. ``selectors.search_articles`` is the one entry
point; ``analysis`` holds the language rules both databases follow, and the words a page marks.
"""
