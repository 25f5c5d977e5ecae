"""Roles: readers (auditors) read, editors also write facts, admins also write the catalogue."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from rest_framework.permissions import SAFE_METHODS, BasePermission


class Role(models.TextChoices):
    """What a user may do through the API; readers and editors are Django groups."""

    READER = "reader", "reader (read-only)"
    EDITOR = "editor", "editor (may write targets, actuals and documents)"
    ADMIN = "admin", "admin (may also write indicators and jurisdictions)"


RANK = {Role.READER: 1, Role.EDITOR: 2, Role.ADMIN: 3}


def user_role(user: User | AnonymousUser) -> Role | None:
    """The highest role a user holds, or None for no API access."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_staff or user.is_superuser:
        return Role.ADMIN
    cached = getattr(user, "_tracker_role", False)
    if cached is not False:
        return cached
    names = set(user.groups.values_list("name", flat=True))
    role = Role.EDITOR if Role.EDITOR in names else Role.READER if Role.READER in names else None
    user._tracker_role = role
    return role


class RolePermission(BasePermission):
    """Reads need the reader role; writes need the view's `write_role` (editor by default)."""

    message = "Your account has no role that allows this (reader, editor or admin)."

    def has_permission(self, request, view) -> bool:
        role = user_role(request.user)
        if role is None:
            return False
        needed = Role.READER if request.method in SAFE_METHODS else _write_role(view)
        return RANK[role] >= RANK[needed]


def _write_role(view) -> Role:
    return getattr(view, "write_role", Role.EDITOR)
