"""Full-text search over annotations: the quote, the speaker's name, a claim's verdict note.

A Django app of its own (label ``annotation_search``), built like the article index
(articles/search), whose language rules and SQL functions it shares.
"""
