"""Fetch a page (or a feed) by its address, for import, without letting a URL reach inside.

A person gives us a URL and the server fetches it, so the URL must not become a way into the
network the server sits on (server-side request forgery). Each hop of a request:

- is ``http`` or ``https``, names a host, carries no user name or password;
- resolves the host **once** and connects to that very address (a second lookup could answer
  differently: DNS rebinding), with TLS still checked against the host's name;
- refuses private, link-local, multicast, reserved and unspecified addresses, and loopback
  unless ``DEBUG`` is on or ``ARTICLE_FETCH_ALLOW_LOOPBACK`` is set (the tests' local server);
- follows at most ``MAX_REDIRECTS`` redirects, each checked the same way;
- gives up after ``ARTICLE_FETCH_TIMEOUT`` seconds in all, and past
  ``ARTICLE_MAX_UPLOAD_BYTES`` (413, as for an upload), compressed or not.

Failures are ``ValidationError``s on ``source_url`` with a message a person can act on.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
import zlib
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

from .extracted import Extracted
from .ingest import UploadTooLarge, extract_bytes

MAX_REDIRECTS = 5
USER_AGENT = "NewsdeskAnnotator/1.0 (article import)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain",)
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/feed+json",
)


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content_type: str
    charset: str | None
    data: bytes


def _refuse(message: str, field: str = "source_url") -> ValidationError:
    return ValidationError({field: message})


def _allow_loopback() -> bool:
    return bool(settings.DEBUG or getattr(settings, "ARTICLE_FETCH_ALLOW_LOOPBACK", False))


def address_refusal(address: str) -> str | None:
    """Why this IP address may not be fetched from, or None when it may."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return None if _allow_loopback() else "a loopback address (this server itself)"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_private or ip.is_reserved or ip.is_unspecified or ip.is_multicast:
        return "a private or reserved address"
    if not ip.is_global:
        return "an address that is not public"
    return None


def _resolve(host: str, port: int) -> str:
    """One public address of ``host`` (the lookup is made once; the connection uses it)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise _refuse(f"{host} could not be found (no such host).") from error
    reasons = []
    for *_, sockaddr in infos:
        address = sockaddr[0]
        reason = address_refusal(address)
        if reason is None:
            return address
        reasons.append(f"{address} is {reason}")
    raise _refuse(f"{host} may not be fetched: {'; '.join(dict.fromkeys(reasons))}.")


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Speaks to ``host`` (the Host header) at an address resolved beforehand."""

    def __init__(self, host: str, address: str, port: int, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, address: str, port: int, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        # The certificate is checked against the name, not the address we pinned.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _target(url: str) -> tuple[str, str, int, str]:
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise _refuse(f"{url!r} is not a valid address.") from error
    if parts.scheme not in ("http", "https"):
        raise _refuse("Only http:// and https:// addresses can be fetched.")
    if not parts.hostname:
        raise _refuse(f"{url!r} names no host.")
    if parts.username or parts.password:
        raise _refuse("Addresses with a user name or password are not fetched.")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80), path


def fetch(url: str, *, accept: tuple[str, ...] = HTML_TYPES + TEXT_TYPES) -> Fetched:
    """GET ``url`` under the rules above; the body of a 200 whose type is in ``accept``."""
    timeout = float(getattr(settings, "ARTICLE_FETCH_TIMEOUT", 10))
    limit = settings.ARTICLE_MAX_UPLOAD_BYTES
    deadline = time.monotonic() + timeout
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        scheme, host, port, path = _target(current)
        address = _resolve(host, port)
        kind = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
        connection = kind(host, address, port, timeout=max(0.1, deadline - time.monotonic()))
        try:
            try:
                connection.request(
                    "GET",
                    path,
                    headers={
                        "User-Agent": USER_AGENT,
                        "Accept": ", ".join(accept) + ", */*;q=0.1",
                        "Accept-Encoding": "gzip, identity",
                    },
                )
                response = connection.getresponse()
                if response.status in (301, 302, 303, 307, 308):
                    location = response.getheader("Location")
                    if not location:
                        raise _refuse(f"{current} redirected without saying where to.")
                    current = urljoin(current, location)
                    continue
                if response.status != 200:
                    raise _refuse(
                        f"{current} answered {response.status} {response.reason}; nothing was imported."
                    )
                content_type = response.headers.get_content_type()
                if content_type not in accept:
                    raise _refuse(
                        f"{current} is {content_type}, not a page that can be imported "
                        f"({', '.join(accept)})."
                    )
                data = _read(response, limit=limit, deadline=deadline)
                return Fetched(current, content_type, response.headers.get_content_charset(), data)
            except TimeoutError as error:
                raise _refuse(f"{current} did not answer within {timeout:g} seconds.") from error
            except ssl.SSLError as error:
                raise _refuse(
                    f"{current}: the secure connection failed ({error.reason or error})."
                ) from error
            except (http.client.HTTPException, OSError) as error:
                raise _refuse(f"{current} could not be reached ({error}).") from error
        finally:
            connection.close()
    raise _refuse(f"{url} redirected more than {MAX_REDIRECTS} times.")


def _too_large(limit: int) -> UploadTooLarge:
    return UploadTooLarge(
        {
            "source_url": f"The page is larger than the limit of {limit:,} bytes (ARTICLE_MAX_UPLOAD_BYTES)."
        }
    )


def _read(response: http.client.HTTPResponse, *, limit: int, deadline: float) -> bytes:
    length = response.getheader("Content-Length")
    if length and length.isdigit() and int(length) > limit:
        raise _too_large(limit)
    gzipped = (response.getheader("Content-Encoding") or "").lower() in ("gzip", "x-gzip")
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS) if gzipped else None
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            # A server that trickles bytes forever must not hold a worker.
            raise TimeoutError
        chunk = response.read(64 * 1024)
        if not chunk:
            break
        if inflate is not None:
            # Bounded output, so a small compressed bomb cannot fill the memory.
            chunk = inflate.decompress(chunk, limit + 1 - size)
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _as_source_url(error: ValidationError) -> ValidationError:
    """An extraction error about "the file" is, for a fetched page, about its address."""
    if hasattr(error, "error_dict") and "file" in error.error_dict:
        messages = error.message_dict
        messages["source_url"] = messages.pop("file")
        return type(error)(messages)
    return error


def fetched_name(fetched: Fetched) -> str:
    """The file name extraction is given: its suffix says how to read the bytes."""
    return "page.html" if fetched.content_type in HTML_TYPES else "page.txt"


def extract_fetched(
    fetched: Fetched, *, url: str, data: bytes | None = None, encoding: str | None = None
) -> Extracted:
    """The same extraction as an upload, for bytes fetched from ``url`` (``source_url`` is the
    address given; where redirects led is recorded beside it)."""
    try:
        extracted = extract_bytes(
            fetched_name(fetched),
            fetched.data if data is None else data,
            encoding=encoding,
            declared=fetched.charset,
            url=url,
        )
    except ValidationError as error:
        raise _as_source_url(error) from error
    extracted.source_url = url
    extracted.sources["source_url"] = {"source": "the address it was fetched from"}
    if fetched.url != url:
        extracted.sources["source_url"]["redirected_to"] = fetched.url
    return extracted


def fetch_article(url: str, *, encoding: str | None = None) -> Extracted:
    """The story at ``url``: fetched under the rules above, then extracted like an upload."""
    return extract_fetched(fetch(url), url=url, encoding=encoding)
