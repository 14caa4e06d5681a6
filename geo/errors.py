"""Project error types: the app and the CLI catch only these."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Self

from geo.text import Text

__all__ = ["CRSError", "PoskoError", "Problem", "SettingsError", "ValidationError"]


class PoskoError(Exception):
    """Base class of every error Posko raises on purpose.

    An error a planner sees may carry a catalog `key` and its `params` (see
    :mod:`geo.text`), so the app can show it in the user's language; ``str(error)`` is the
    English text.
    """

    def __init__(self, message: str, *, key: str = "", params: dict | None = None) -> None:
        super().__init__(message)
        self.key = key
        self.params = dict(params or {})


@dataclass(frozen=True)
class Problem:
    """One problem found while validating input.

    Parameters
    ----------
    where
        The place of the problem: a settings key, a column, or a file and row.
    message
        What is wrong and what to do, in the words a planner understands (English).
    key, params
        The same message as a catalog entry and its values (see :mod:`geo.text`), so it
        can be shown in the planner's language; empty when there is none.
    """

    where: str
    message: str
    key: str = ""
    params: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @classmethod
    def from_text(cls, where: str, text_key: str, /, **params: Any) -> Self:
        """A problem whose message is the catalog entry `text_key` (kept in English)."""
        return cls(where, Text(text_key, params).render("en"), text_key, params)


class ValidationError(PoskoError, ValueError):
    """Input that breaks a rule; carries every problem found, not only the first."""

    def __init__(
        self,
        message: str,
        problems: tuple[Problem, ...] = (),
        *,
        key: str = "",
        params: dict | None = None,
    ) -> None:
        super().__init__(message, key=key, params=params)
        self.problems = problems

    @classmethod
    def from_text(cls, text_key: str, problems: tuple[Problem, ...] = (), /, **params: Any) -> Self:
        """The error whose message is the catalog entry `text_key` (``str()``: English)."""
        return cls(Text(text_key, params).render("en"), problems, key=text_key, params=params)


class SettingsError(ValidationError):
    """An operation's settings file is missing, unreadable or invalid."""


class CRSError(PoskoError, ValueError):
    """Coordinates whose reference system is missing, wrong or inconsistent."""
