"""Project error types: the app and the CLI catch only these."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CRSError", "PoskoError", "Problem", "SettingsError", "ValidationError"]


class PoskoError(Exception):
    """Base class of every error Posko raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One problem found while validating input.

    Parameters
    ----------
    where
        The place of the problem: a settings key, a column, or a file and row.
    message
        What is wrong and what to do, in the words a planner understands.
    """

    where: str
    message: str


class ValidationError(PoskoError, ValueError):
    """Input that breaks a rule; carries every problem found, not only the first."""

    def __init__(self, message: str, problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems


class SettingsError(ValidationError):
    """An operation's settings file is missing, unreadable or invalid."""


class CRSError(PoskoError, ValueError):
    """Coordinates whose reference system is missing, wrong or inconsistent."""
