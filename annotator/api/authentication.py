"""Token authentication for scripts: django-rest-knox tokens under the `Token` prefix.

Knox stores only a hash of each token, gives every login its own token with an expiry
(`API_TOKEN_TTL`), and deletes a token on log-out, so a leaked token can be revoked and an
old one stops working by itself. The contract's `Authorization: Token <token>` header stays.
"""

from __future__ import annotations

from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


class TokenAuthentication(KnoxTokenAuthentication):
    def authenticate_credentials(self, token: bytes):
        # Knox decodes the header as UTF-8 without a guard: bytes that are not UTF-8 would
        # be a 500 instead of the 401 any other wrong token gets.
        try:
            token.decode("utf-8")
        except UnicodeDecodeError as error:
            raise AuthenticationFailed("Invalid token.") from error
        return super().authenticate_credentials(token)
