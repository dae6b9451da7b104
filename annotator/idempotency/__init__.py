"""`Idempotency-Key` on API creates (DESIGN.md, "Idempotent creates"): a model holding each
key's first response, and the middleware that answers retries from it."""
