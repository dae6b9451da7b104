"""The OpenAPI schema's project-wide truths: the error answers every view can give.

drf-spectacular documents what each view declares (its 200/201 and the codes an
`@extend_schema` names). What DRF and this project's middleware answer around the views is
the same everywhere, so it is added here, once, for every operation it can happen to:

- 400 with field errors, when there is anything to validate (a body, query or path values);
- 401 and 403 for operations that need a login (the token endpoint does not);
- 404 where a path names an object, or a list can be paged past its end;
- 413 where uploads are accepted, 415 where a body is read;
- 409 and 422 on POSTs, the `Idempotency-Key` answers (annotator/idempotency), with the
  header itself documented;
- 429 with `Retry-After` everywhere (rate limits; failed-login limits on the token endpoint).

Error bodies have two shapes, both components: `Error` (`{"detail": ...}` and, sometimes,
more keys such as `current_version` or `retry_after`) and `ValidationError` (field name ->
messages, or `detail` for a body that could not be parsed).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.permissions import AllowAny

from annotator.idempotency.middleware import EXEMPT_PREFIXES, HEADER

ERROR_SCHEMA = {
    "type": "object",
    "description": "An answer that is not about one field: what went wrong, for a person.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
    "additionalProperties": True,
}
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "Field name -> what is wrong with it (a list of messages, or the errors of a nested "
        "object or of each item of a list, keyed by index); `non_field_errors` for the body "
        "as a whole; `detail` when the body could not be parsed at all."
    ),
    "additionalProperties": True,
}

RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer", "minimum": 0},
    }
}

DESCRIPTIONS = {
    "400": "Invalid input; the body names each field and what is wrong with it. Nothing was saved.",
    "401": "No login, or a token that is wrong, revoked or expired.",
    "403": "Logged in, but not allowed to do this (the role rules in the README).",
    "404": "No such object (or one you may not see), or a page past the end of the list.",
    "409": f"A request with the same {HEADER} is still being handled; send it again.",
    "413": "The upload is larger than the limit.",
    "415": "The body's Content-Type is not one this operation reads.",
    "422": f"This {HEADER} was already used, in the last 24 hours, for a different request.",
    "429": "Too many requests (rate limit) or too many failed logins; see Retry-After.",
}

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=(
        "Makes a retry safe: the same key (from the same user, within 24 hours) answers the "
        "first response again and creates nothing more; the same key with a different request "
        "gets 422. 1 to 255 printable ASCII characters; a UUID is a good key."
    ),
    pattern=r"^[\x21-\x7e]([\x20-\x7e]{0,253}[\x21-\x7e])?$",
)


class TokenScheme(KnoxTokenScheme):
    """`Authorization: Token <token>` from `POST /api/auth/token/` (knox tokens)."""

    target_class = "annotator.api.authentication.TokenAuthentication"
    name = "tokenAuth"


class AutoSchema(SpectacularAutoSchema):
    def get_override_parameters(self) -> list:
        parameters = list(super().get_override_parameters())
        if self._takes_idempotency_key():
            parameters.append(IDEMPOTENCY_PARAMETER)
        return parameters

    def get_operation(self, path, path_regex, path_prefix, method, registry) -> dict | None:
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query" and not _accepts_empty(parameter["schema"]):
                # The API reads an empty query value as no value (`?status=&q=` is what a form
                # sends); saying so keeps `?updated_after=` from looking like a bad date.
                parameter["schema"] = {
                    "anyOf": [parameter["schema"], {"type": "string", "maxLength": 0}]
                }
        responses = operation["responses"]
        for code in self._error_codes(operation):
            responses.setdefault(code, {"description": DESCRIPTIONS[code]})
            answer = responses[code]
            answer.setdefault("description", DESCRIPTIONS[code])
            if "content" not in answer:
                component = "ValidationError" if code == "400" else "Error"
                answer["content"] = {"application/json": {"schema": self._component(component)}}
            if code == "429":
                answer.setdefault("headers", {}).update(RETRY_AFTER)
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _takes_idempotency_key(self) -> bool:
        return self.method == "POST" and not self.path.startswith(EXEMPT_PREFIXES)

    def _error_codes(self, operation: dict[str, Any]) -> list[str]:
        parameters = operation.get("parameters", [])
        in_path = any(p["in"] == "path" for p in parameters)
        has_body = "requestBody" in operation
        codes = ["429"]
        if parameters or has_body:
            codes.append("400")
        if operation.get("security") != [] and self._needs_login():
            codes += ["401", "403"]
        paginated = self._is_list_view() and self._get_paginator() is not None
        if in_path or paginated:
            codes.append("404")
        if has_body:
            codes.append("415")
            if "multipart/form-data" in operation["requestBody"].get("content", {}):
                codes.append("413")
        if self._takes_idempotency_key():
            codes += ["409", "422"]
        return codes

    def _needs_login(self) -> bool:
        return not all(isinstance(p, AllowAny) for p in self.view.get_permissions())

    def _component(self, name: str) -> dict:
        schema = ERROR_SCHEMA if name == "Error" else VALIDATION_ERROR_SCHEMA
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema
        )
        self.registry.register_on_missing(component)
        return component.ref


def _accepts_empty(schema: dict) -> bool:
    plain = {"type", "description", "default"}
    return schema.get("type") == "string" and set(schema) <= plain
