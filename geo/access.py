"""Who may do what: the actions, the role each needs, and the check every page and command makes.

A user acts with one :class:`~geo.model.Role` on the operations granted to them (an
operation's key, or ``"*"`` for every operation); an admin may act on every operation. The
check is :func:`require`, called on the server for every page, action and download and by
every CLI command, so hiding a button is never the only guard.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from geo.errors import PoskoError
from geo.model import ROLES, Role
from geo.text import Labels, Text

__all__ = [
    "ALL_OPERATIONS",
    "LOCAL_ACTOR",
    "MINIMAL_ROLE",
    "USER_ENV",
    "AccessDenied",
    "Action",
    "Actor",
    "actor_from_claims",
    "local_user",
    "os_user",
    "require",
]

ALL_OPERATIONS = "*"
USER_ENV = "POSKO_USER"


class Action(StrEnum):
    """What a user asks to do; each needs a minimal role (:data:`MINIMAL_ROLE`)."""

    VIEW = "view"  # maps, figures, comparison, history
    EXPORT = "export"  # briefing and CSV downloads
    IMPORT = "import"  # check, import and roll back site lists and areas
    PLAN = "plan"  # save, new, copy, rename, status, current, roll back plans
    SUGGEST = "suggest"  # run suggestions, save a draft plan
    AUDIT = "audit"  # read an operation's audit log
    ADMIN = "admin"  # users, grants, operations, store migration


MINIMAL_ROLE: Mapping[Action, Role] = {
    Action.VIEW: Role.VIEWER,
    Action.EXPORT: Role.VIEWER,
    Action.IMPORT: Role.PLANNER,
    Action.PLAN: Role.PLANNER,
    Action.SUGGEST: Role.PLANNER,
    Action.AUDIT: Role.PLANNER,
    Action.ADMIN: Role.ADMIN,
}


class AccessDenied(PoskoError):
    """The acting user may not do this (catalog ``access.denied``)."""


@dataclass(frozen=True)
class Actor:
    """Who acts: a signed-in user, the CLI's named user, or the OS user when sign-in is off.

    Attributes
    ----------
    name
        The user's name, written into every history and audit record.
    role
        What the user may do.
    grants
        Operation keys the user may act on; ``"*"`` means every operation. An admin may act
        on every operation whatever the grants.
    method
        How the user signed in: "local", "oidc", "cli" or "off".
    """

    name: str
    role: Role
    grants: frozenset[str]
    method: str

    def may(self, action: Action, operation: str | None = None) -> bool:
        """Whether this actor may do `action` on `operation` (None: no operation involved)."""
        if ROLES.index(self.role) < ROLES.index(MINIMAL_ROLE[action]):
            return False
        if self.role is Role.ADMIN or operation is None:
            return True
        return ALL_OPERATIONS in self.grants or operation in self.grants

    def visible(self, operations: Iterable[str]) -> list[str]:
        """The operations (keys) among `operations` this actor may view, in their order."""
        return [name for name in operations if self.may(Action.VIEW, name)]


def require(actor: Actor, action: Action, operation: str | None = None) -> None:
    """Refuse unless `actor` may do `action` on `operation`.

    Raises
    ------
    AccessDenied
        Naming the user, their role, the action and the operation.
    """
    if actor.may(action, operation):
        return
    params: dict[str, object] = {
        "who": actor.name,
        "role": Labels("role", {"values": (actor.role.value,)}),
        "action": Text(f"access.action.{action}"),
    }
    key = "access.denied" if operation is None else "access.denied_operation"
    if operation is not None:
        params["operation"] = operation
    raise AccessDenied(Text(key, params).render("en"), key=key, params=params)


def LOCAL_ACTOR(name: str) -> Actor:
    """The actor when sign-in is off (loopback only): the OS user, as admin."""
    return Actor(name=name, role=Role.ADMIN, grants=frozenset({ALL_OPERATIONS}), method="off")


_NAME_CLAIMS = ("preferred_username", "email", "sub")


def actor_from_claims(claims: Mapping[str, Any], *, role_claim: str, grants_claim: str) -> Actor:
    """The actor an identity provider vouches for (OIDC): role and grants from its claims.

    Parameters
    ----------
    claims
        The identity token's claims (``st.user``).
    role_claim
        The claim holding the role ("viewer", "planner" or "admin").
    grants_claim
        The claim holding the operations granted: a list, or one text separated by commas or
        spaces; missing means none.

    Raises
    ------
    AccessDenied
        When the token names no user or carries no valid role (never a guessed role).
    """
    name = next((str(claims[c]) for c in _NAME_CLAIMS if claims.get(c)), "")
    value = claims.get(role_claim)
    try:
        role = Role(str(value).strip().lower()) if name and value is not None else None
    except ValueError:
        role = None
    if role is None:
        params = {
            "name": name,
            "claim": role_claim,
            "value": value,
            "expected": ", ".join(ROLES),
        }
        raise AccessDenied(
            Text("signin.oidc_no_role", params).render("en"),
            key="signin.oidc_no_role",
            params=params,
        )
    return Actor(
        name=name, role=role, grants=_claimed_grants(claims.get(grants_claim)), method="oidc"
    )


def _claimed_grants(value: object) -> frozenset[str]:
    if value is None:
        return frozenset()
    items = value.replace(",", " ").split() if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        items = [items]
    return frozenset(str(item).strip() for item in items if str(item).strip())


def local_user() -> str:
    """Who acts on this computer: ``$POSKO_USER``, else the OS user."""
    return os.environ.get(USER_ENV, "").strip() or os_user()


def os_user() -> str:
    """The OS user's name ("" when the system has none)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""
