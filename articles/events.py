"""What the article layer announces to the layers above it, which it cannot import.

Sent explicitly by the article services (not model signals: nothing here can be skipped by a
form, a page or an import that goes through the services)."""

from django.dispatch import Signal

# Sent inside the creating transaction with ``article_id``; a receiver that acts on it
# schedules its work for after the commit.
article_created = Signal()
