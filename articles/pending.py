"""An upload (or a fetched page) kept in the new-article form between "see the text" and "save".

When the encoding was a guess, the page shows the text and lets the editor pick another
encoding; the bytes must come back with the next request, and a file input cannot be refilled.
So the form carries them itself: compressed, base64, and signed, so what comes back is exactly
what the server read (nothing is kept on any server, which works behind a load balancer too).
"""

from __future__ import annotations

import base64
import json
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError

_SALT = "articles.pending-upload"
# An hour to choose an encoding is plenty; an older form is refused with a reason.
MAX_AGE = 3600


@dataclass(frozen=True)
class Pending:
    name: str
    data: bytes
    declared: str | None = None
    url: str = ""


def dumps(pending: Pending) -> str:
    header = json.dumps({"n": pending.name, "d": pending.declared, "u": pending.url})
    payload = base64.urlsafe_b64encode(zlib.compress(pending.data, 6)).decode("ascii")
    return signing.TimestampSigner(salt=_SALT).sign(
        base64.urlsafe_b64encode(header.encode()).decode("ascii") + "." + payload
    )


def loads(token: str) -> Pending:
    try:
        value = signing.TimestampSigner(salt=_SALT).unsign(token, max_age=MAX_AGE)
        header_b64, payload = value.split(".", 1)
        header = json.loads(base64.urlsafe_b64decode(header_b64))
        inflate = zlib.decompressobj()
        limit = settings.ARTICLE_MAX_UPLOAD_BYTES
        data = inflate.decompress(base64.urlsafe_b64decode(payload), limit + 1)
    except signing.SignatureExpired as error:
        raise ValidationError(
            {"file": "This form is more than an hour old; choose the file again."}
        ) from error
    except (signing.BadSignature, ValueError, zlib.error) as error:
        raise ValidationError(
            {"file": "The file kept in this form could not be read back; choose the file again."}
        ) from error
    if len(data) > limit:
        raise ValidationError({"file": "The file kept in this form is over the size limit."})
    return Pending(name=header["n"], data=data, declared=header.get("d"), url=header.get("u", ""))
