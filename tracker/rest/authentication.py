"""Token authentication that reads the user's role with the token."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from tracker.rest.permissions import ROLE_ATTRIBUTE, group_role_expression, role_of


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, with the role the user's groups give in the same query."""

    # Every API request checks the role; read on its own, it was a second query per request.
    def authenticate_credentials(self, key):
        tokens = self.get_model().objects.select_related("user")
        token = tokens.annotate(role=group_role_expression("user")).filter(key=key).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        setattr(token.user, ROLE_ATTRIBUTE, role_of(token.role))
        return token.user, token
