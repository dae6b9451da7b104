"""Webhooks: the newsroom's other systems told of changes as they happen.

A Django app of its own (label ``webhooks``): endpoints and their deliveries (models.py), the
one call the services make (``events.emit``), signed and SSRF-safe sending with retries
(delivery.py) run as a task (tasks.py), the API (api.py) and the admin (admin.py).
"""
