"""Roles: readers (auditors) read, editors also write facts, admins also write the catalogue."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, Group, User
from django.db import models
from django.db.models import Case, Exists, OuterRef, Value, When
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission


class Role(models.TextChoices):
    """What a user may do through the API; readers and editors are Django groups."""

    READER = "reader", "reader (read-only)"
    EDITOR = "editor", "editor (may write targets, actuals and documents)"
    ADMIN = "admin", "admin (may also write indicators and jurisdictions)"


RANK = {Role.READER: 1, Role.EDITOR: 2, Role.ADMIN: 3}
# Where a request's user keeps the role read with its token (see authentication).
ROLE_ATTRIBUTE = "tracker_role"


def user_role(user: User | AnonymousUser) -> Role | None:
    """The highest role a user holds, or None for no API access."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_staff or user.is_superuser:
        return Role.ADMIN
    if hasattr(user, ROLE_ATTRIBUTE):
        return getattr(user, ROLE_ATTRIBUTE)
    # Users not signed in by token (sessions, admin pages): their groups' role, one query.
    found = User.objects.filter(pk=user.pk).values_list(group_role_expression("pk"), flat=True)
    role = role_of(next(iter(found), None))
    setattr(user, ROLE_ATTRIBUTE, role)
    return role


def role_of(value: str | None) -> Role | None:
    """The Role a group_role_expression gave, None for none."""
    return None if value is None else Role(value)


def group_role_expression(user: str) -> Case:
    """The role the groups of the user in column `user` give (editor, reader or NULL), in SQL."""
    groups = Group.objects.filter(user=OuterRef(user))
    return Case(
        When(Exists(groups.filter(name=Role.EDITOR)), then=Value(Role.EDITOR.value)),
        When(Exists(groups.filter(name=Role.READER)), then=Value(Role.READER.value)),
        default=None,
        output_field=models.CharField(),
    )


NO_ROLE = _(
    "Your account has no role yet; this needs the {needed} role. "
    "Ask an admin to add you to the reader or editor group."
)
ROLE_TOO_LOW = _("This action needs the {needed} role; your account has the {role} role.")


class RolePermission(BasePermission):
    """Reads need the reader role; writes need the view's `write_role` (editor by default)."""

    message = _("Your account has no role that allows this.")

    def has_permission(self, request, view) -> bool:
        role = user_role(request.user)
        needed = Role.READER if request.method in SAFE_METHODS else _write_role(view)
        if role is None:
            # A fresh instance per request: the refusal can name the request's own roles.
            self.message = NO_ROLE.format(needed=needed.value)
            return False
        if RANK[role] < RANK[needed]:
            self.message = ROLE_TOO_LOW.format(needed=needed.value, role=role.value)
            return False
        return True


def _write_role(view) -> Role:
    return getattr(view, "write_role", Role.EDITOR)
