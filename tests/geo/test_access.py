"""Roles, actions and grants (geo.access): who may do what on which operation."""

from __future__ import annotations

import pytest

from geo.access import (
    LOCAL_ACTOR,
    MINIMAL_ROLE,
    AccessDenied,
    Action,
    Actor,
    actor_from_claims,
    local_user,
    require,
)
from geo.model import ROLE_SPECS, ROLES, Role
from geo.text import LANGUAGES, localized


def _actor(role: Role, *grants: str) -> Actor:
    return Actor(name="sari", role=role, grants=frozenset(grants), method="local")


# (action, the roles that may do it on a granted operation)
_TABLE = [
    (Action.VIEW, {Role.VIEWER, Role.PLANNER, Role.ADMIN}),
    (Action.EXPORT, {Role.VIEWER, Role.PLANNER, Role.ADMIN}),
    (Action.IMPORT, {Role.PLANNER, Role.ADMIN}),
    (Action.PLAN, {Role.PLANNER, Role.ADMIN}),
    (Action.SUGGEST, {Role.PLANNER, Role.ADMIN}),
    (Action.AUDIT, {Role.PLANNER, Role.ADMIN}),
    (Action.ADMIN, {Role.ADMIN}),
]


def test_every_action_has_a_minimal_role_and_roles_are_ordered() -> None:
    assert set(MINIMAL_ROLE) == set(Action)
    assert ROLES == (Role.VIEWER, Role.PLANNER, Role.ADMIN)
    assert set(ROLE_SPECS) == set(Role)
    assert all(set(spec.labels) == set(LANGUAGES) for spec in ROLE_SPECS.values())


@pytest.mark.parametrize(("action", "allowed"), _TABLE, ids=lambda v: str(v))
def test_each_role_on_a_granted_operation(action: Action, allowed: set[Role]) -> None:
    for role in Role:
        assert _actor(role, "latihan").may(action, "latihan") is (role in allowed), role


@pytest.mark.parametrize("action", list(Action))
def test_an_operation_not_granted_is_refused_but_to_admins(action: Action) -> None:
    for role in (Role.VIEWER, Role.PLANNER):
        assert not _actor(role, "latihan").may(action, "bangka")
    assert _actor(Role.ADMIN).may(action, "bangka")


def test_star_grants_every_operation_to_its_role_only() -> None:
    polda = _actor(Role.VIEWER, "*")
    assert polda.may(Action.VIEW, "bangka") and polda.may(Action.EXPORT, "belitung")
    assert not polda.may(Action.IMPORT, "bangka")
    assert polda.visible(["bangka", "belitung"]) == ["bangka", "belitung"]
    assert _actor(Role.PLANNER, "bangka").visible(["belitung", "bangka"]) == ["bangka"]


def test_require_names_who_the_role_the_action_and_the_operation() -> None:
    with pytest.raises(AccessDenied) as caught:
        require(_actor(Role.VIEWER, "latihan"), Action.IMPORT, "latihan")
    assert str(caught.value) == (
        "sari (Viewer) is not allowed to import or restore site lists and areas in operation "
        "'latihan'. Ask an admin for access if you need it."
    )
    assert localized(caught.value, "id").startswith("sari (Peninjau) tidak berwenang")
    with pytest.raises(AccessDenied, match="manage users"):
        require(_actor(Role.PLANNER, "*"), Action.ADMIN)
    require(_actor(Role.PLANNER, "latihan"), Action.PLAN, "latihan")  # allowed: no error


def test_the_local_actor_is_an_admin_of_everything(monkeypatch) -> None:
    actor = LOCAL_ACTOR("budi")
    assert (actor.name, actor.role, actor.method) == ("budi", Role.ADMIN, "off")
    assert all(actor.may(a, "any") for a in Action)
    monkeypatch.setenv("POSKO_USER", "Kabag Ops")
    assert local_user() == "Kabag Ops"


_CLAIMS = {"role_claim": "posko_role", "grants_claim": "posko_operations"}


@pytest.mark.parametrize(
    ("grants", "expected"),
    [
        (["latihan", "bangka"], {"latihan", "bangka"}),
        ("latihan, bangka", {"latihan", "bangka"}),
        ("latihan bangka", {"latihan", "bangka"}),
        ("*", {"*"}),
        (None, set()),
    ],
)
def test_oidc_claims_give_the_role_and_grants(grants: object, expected: set[str]) -> None:
    claims = {"sub": "a1", "preferred_username": "kasat", "posko_role": "Planner"}
    if grants is not None:
        claims["posko_operations"] = grants
    actor = actor_from_claims(claims, **_CLAIMS)
    assert (actor.name, actor.role, actor.method) == ("kasat", Role.PLANNER, "oidc")
    assert actor.grants == frozenset(expected)


@pytest.mark.parametrize(
    "claims",
    [
        {"preferred_username": "kasat"},  # no role claim: never a guessed role
        {"preferred_username": "kasat", "posko_role": "superuser"},
        {"posko_role": "admin"},  # nobody named
    ],
)
def test_oidc_claims_without_a_valid_role_are_refused(claims: dict) -> None:
    with pytest.raises(AccessDenied) as caught:
        actor_from_claims(claims, **_CLAIMS)
    assert caught.value.key == "signin.oidc_no_role"
    assert "viewer, planner, admin" in str(caught.value)


def test_oidc_name_falls_back_to_email_then_subject() -> None:
    by_mail = actor_from_claims({"email": "a@polda.id", "posko_role": "viewer"}, **_CLAIMS)
    by_sub = actor_from_claims({"sub": "x-1", "posko_role": "viewer"}, **_CLAIMS)
    assert (by_mail.name, by_sub.name) == ("a@polda.id", "x-1")
