"""`POST /api/auth/token/` (the contract: `{"username", "password"}` -> `{"token": ...}`),
and log-out, which revokes a token.

Each login makes a new knox token that expires after `API_TOKEN_TTL`; `POST
/api/auth/logout/` deletes the token it is sent with, `POST /api/auth/logout-all/` every
token of that user. Failed logins are counted by django-axes (annotator/login_limits.py),
which answers 429 with `Retry-After` once a username or an address is over its limit.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.models import AuthToken
from knox.views import LogoutAllView, LogoutView
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .authentication import TokenAuthentication


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, trim_whitespace=False)
    # Bounded: hashing a megabyte-long password is work an attacker could make us do.
    password = serializers.CharField(
        max_length=1024, trim_whitespace=False, style={"input_type": "password"}
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`.")
    expiry = serializers.DateTimeField(help_text="After this the token no longer works.")


BAD_CREDENTIALS = "Unable to log in with provided credentials."


@extend_schema(
    tags=["auth"],
    request=TokenRequestSerializer,
    responses={
        200: TokenSerializer,
        400: OpenApiResponse(description="Wrong username or password."),
    },
    auth=[],
)
class ObtainTokenView(APIView):
    """A new token for scripts; every call makes another one."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # Axes needs Django's request (it marks a locked-out attempt on it for its middleware).
        user = authenticate(request._request, **serializer.validated_data)
        if user is None:
            raise serializers.ValidationError({"non_field_errors": [BAD_CREDENTIALS]})
        instance, token = AuthToken.objects.create(user=user, expiry=settings.API_TOKEN_TTL)
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        return Response(TokenSerializer({"token": token, "expiry": instance.expiry}).data)


@extend_schema(tags=["auth"], request=None, responses={204: None})
class RevokeTokenView(LogoutView):
    """Log out a script: the token this call carries stops working."""

    authentication_classes = [TokenAuthentication]


@extend_schema(tags=["auth"], request=None, responses={204: None})
class RevokeAllTokensView(LogoutAllView):
    """Every token of this user stops working."""

    authentication_classes = [TokenAuthentication]
