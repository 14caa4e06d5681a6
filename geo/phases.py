"""The operation's timeline: its phases, the phase of a date, and the sites of a phase."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from geo.errors import Problem, ValidationError
from geo.text import DEFAULT_LANGUAGE, LANGUAGES, format_date, t

if TYPE_CHECKING:
    from geo.model import Settings

__all__ = [
    "DEFAULT_PHASES",
    "PHASE_SEPARATOR",
    "Phase",
    "parse_phases",
    "phase_by_key",
    "phase_keys_of",
    "phase_on",
    "phase_problems",
    "read_phase_cell",
    "resolve_phase",
    "sites_in_phase",
]

# The default phases of an election operation, in order; their names are the catalog's
# `phase.<key>`. An operation gives their dates (and may add phases of its own) in
# `[[phases]]` tables of its operation.toml.
DEFAULT_PHASES: tuple[str, ...] = (
    "persiapan",
    "kampanye",
    "masa_tenang",
    "pungut_hitung",
    "rekapitulasi",
    "penetapan",
)

# Phase keys in a site's `phases` cell are joined like TPS-rawan indicators.
PHASE_SEPARATOR = ";"

_KEY = re.compile(r"[a-z][a-z0-9_]*")
_TABLE_KEYS = ("key", "name", "start", "end")


@dataclass(frozen=True)
class Phase:
    """One phase of the operation's timeline.

    Attributes
    ----------
    key
        Slug naming the phase in files and on the command line ("kampanye").
    name
        Display name; a default phase without a name of its own takes the catalog's
        `phase.<key>` in the operation's language.
    start, end
        First and last day of the phase (both inclusive).
    """

    key: str
    name: str
    start: date
    end: date

    def label(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The phase's name in `lang`: the catalog's for a default phase still carrying a
        catalog name, else the name the operation gave it."""
        if self.key in DEFAULT_PHASES:
            catalog_names = {t(f"phase.{self.key}", lang_) for lang_ in LANGUAGES}
            if self.name in catalog_names or not self.name:
                return t(f"phase.{self.key}", lang)
        return self.name

    def contains(self, day: date) -> bool:
        """True when `day` falls inside the phase."""
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        """Length of the phase in days."""
        return (self.end - self.start).days + 1


def phase_problems(phases: Sequence[Phase]) -> list[Problem]:
    """Every rule the timeline breaks: keys that are not slugs or repeat, a phase that ends
    before it starts, phases out of date order or overlapping.

    A gap between two phases is allowed: a date in it is in no phase.
    """
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, phase in enumerate(phases):
        where = f"phases[{i + 1}]"
        if not isinstance(phase.key, str) or not _KEY.fullmatch(phase.key):
            problems.append(Problem.from_text(where, "phase.bad_key", where=where, value=phase.key))
        elif phase.key in seen:
            problems.append(Problem.from_text(where, "phase.duplicate", key=phase.key))
        seen.add(phase.key)
        if phase.end < phase.start:
            problems.append(
                Problem.from_text(
                    where,
                    "phase.ends_before_start",
                    key=phase.key,
                    start=phase.start.isoformat(),
                    end=phase.end.isoformat(),
                )
            )
    for before, after in itertools.pairwise(phases):
        if after.start < before.start:
            problems.append(
                Problem.from_text(after.key, "phase.order", key=after.key, previous=before.key)
            )
        elif after.start <= before.end:
            problems.append(
                Problem.from_text(
                    after.key,
                    "phase.overlap",
                    key=after.key,
                    previous=before.key,
                    day=after.start.isoformat(),
                )
            )
    return problems


def parse_phases(
    tables: Any, problems: list[Problem], *, lang: str = DEFAULT_LANGUAGE
) -> tuple[Phase, ...]:
    """The `[[phases]]` tables of an operation.toml as phases, in the file's order.

    Each table holds `key`, `start` and `end` (TOML dates, or "YYYY-MM-DD" text) and an
    optional `name`; a key that is not a default phase needs a name. What is wrong is added
    to `problems` (the phase is then left out); the timeline's own rules (order, overlaps)
    are checked by `phase_problems` when the settings are built.
    """
    if not isinstance(tables, list):
        problems.append(Problem.from_text("phases", "phase.not_list"))
        return ()
    phases = []
    for i, table in enumerate(tables):
        phase = _parse_one(table, f"phases[{i + 1}]", problems, lang=lang)
        if phase is not None:
            phases.append(phase)
    return tuple(phases)


def _parse_one(table: Any, where: str, problems: list[Problem], *, lang: str) -> Phase | None:
    if not isinstance(table, Mapping):
        problems.append(Problem.from_text(where, "phase.not_table", where=where))
        return None
    found = len(problems)
    for name in table:
        if name not in _TABLE_KEYS:
            problems.append(
                Problem.from_text(
                    f"{where}.{name}",
                    "settings.unknown_key",
                    key=f"{where}.{name}",
                    expected=", ".join(_TABLE_KEYS),
                )
            )
    key = table.get("key")
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        problems.append(Problem.from_text(where, "phase.bad_key", where=where, value=key))
        key = None
    name = table.get("name")
    if name is not None and (not isinstance(name, str) or not name.strip()):
        problems.append(Problem.from_text(f"{where}.name", "phase.bad_name", where=where))
        name = None
    if key is not None and name is None and key not in DEFAULT_PHASES:
        problems.append(
            Problem.from_text(
                where,
                "phase.unknown_key",
                where=where,
                key=key,
                expected=", ".join(DEFAULT_PHASES),
            )
        )
    start = _date(table, "start", where, problems)
    end = _date(table, "end", where, problems)
    if len(problems) > found or key is None or start is None or end is None:
        return None
    return Phase(key=key, name=name or t(f"phase.{key}", lang), start=start, end=end)


def _date(table: Mapping[str, Any], name: str, where: str, problems: list[Problem]) -> date | None:
    value = table.get(name)
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    problems.append(
        Problem.from_text(f"{where}.{name}", "phase.bad_date", key=f"{where}.{name}", value=value)
    )
    return None


def phase_on(settings: Settings, day: date) -> Phase | None:
    """The operation's phase on `day`, or None when the day is outside its timeline (or the
    operation has none)."""
    return next((p for p in settings.phases if p.contains(day)), None)


def phase_by_key(settings: Settings, key: str) -> Phase | None:
    """The operation's phase called `key`, or None."""
    return next((p for p in settings.phases if p.key == key), None)


def resolve_phase(
    settings: Settings, *, key: str | None = None, day: date | str | None = None
) -> Phase | None:
    """The phase asked for by its key or by a date in it (`posko brief --phase/--date`);
    None when neither is given (the whole operation).

    Raises
    ------
    ValidationError
        When the operation has no phases, the key names none of them, the date is neither
        YYYY-MM-DD nor DD-MM-YYYY, or it falls outside every phase.
    """
    if key is None and day is None:
        return None
    if not settings.phases:
        raise ValidationError.from_text("phase.no_timeline")
    if key is not None:
        found = phase_by_key(settings, key)
        if found is None:
            expected = ", ".join(p.key for p in settings.phases)
            raise ValidationError.from_text("phase.no_such", key=key, expected=expected)
        return found
    if isinstance(day, str):
        day = _asked_day(day)
    assert day is not None  # for the type checker: key and day are not both None here
    found = phase_on(settings, day)
    if found is None:
        raise ValidationError.from_text(
            "phase.none_on_date",
            day=format_date(day),
            first=format_date(settings.phases[0].start),
            last=format_date(settings.phases[-1].end),
        )
    return found


_ASKED_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})|(\d{2})-(\d{2})-(\d{4})")


def _asked_day(text: str) -> date:
    """A date asked for on the command line: YYYY-MM-DD, or DD-MM-YYYY as the app writes
    dates (the order tells them apart: a four-digit year first or last)."""
    found = _ASKED_DAY.fullmatch(text.strip())
    try:
        if found is None:
            raise ValueError(text)
        year, month, day = found.group(1, 2, 3) if found[1] else found.group(6, 5, 4)
        return date(int(year), int(month), int(day))
    except ValueError:
        raise ValidationError.from_text("phase.bad_cli_date", value=text) from None


def phase_keys_of(cells: pd.Series) -> pd.Series:
    """Each `phases` cell as a tuple of phase keys (empty: every phase), aligned with `cells`
    (each distinct cell read once: a national list repeats a handful)."""
    codes, uniques = pd.factorize(cells, use_na_sentinel=True)
    read = np.empty(len(uniques) + 1, dtype=object)
    read[:] = [_split(cell) for cell in uniques] + [()]  # a missing cell (code -1): the last
    return pd.Series(read[codes], index=cells.index, dtype=object)


def _in_phase(cells: pd.Series, phase_key: str) -> np.ndarray:
    """Whether each `phases` cell admits `phase_key` (an empty cell admits every phase)."""
    codes, uniques = pd.factorize(cells, use_na_sentinel=True)
    keys = [_split(cell) for cell in uniques]
    admits = np.array([not ks or phase_key in ks for ks in keys] + [True], dtype=bool)
    return admits[codes]


def _split(cell: object) -> tuple[str, ...]:
    if not isinstance(cell, str):
        return ()
    return tuple(k.strip() for k in cell.split(PHASE_SEPARATOR) if k.strip())


def sites_in_phase(sites: pd.DataFrame, phase_key: str | None) -> pd.DataFrame:
    """The sites that exist during phase `phase_key`: those limited to it and those not
    limited at all (an empty `phases` cell). None means the whole operation: all sites.

    Parameters
    ----------
    sites
        Canonical sites (a missing `phases` column means no site is limited).
    phase_key
        A phase key ("kampanye"), or None.

    Returns
    -------
    in_phase
        The rows of `sites` in the phase, in their order and with their index (a copy).

    Examples
    --------
    >>> import pandas as pd
    >>> sites = pd.DataFrame({"site_id": ["a", "b", "c"], "phases": [None, "kampanye", "x;y"]})
    >>> list(sites_in_phase(sites, "kampanye")["site_id"])
    ['a', 'b']
    """
    from geo.model import Col  # geo.model builds Settings from this module: imported here

    if phase_key is None or Col.PHASES not in sites:
        return sites.copy()
    return sites[_in_phase(sites[Col.PHASES], phase_key)].copy()


def read_phase_cell(text: str, known: Iterable[str]) -> tuple[str | None, tuple[str, ...]]:
    """An imported `phases` cell as the canonical cell and the words that name no phase.

    Words are separated by ";" or ","; each is read as a key in any case and with spaces or
    dashes ("Pungut-hitung" is `pungut_hitung`). The cell is None when it names none.
    """
    allowed = set(known)
    keys: list[str] = []
    unknown: list[str] = []
    for word in re.split(r"[;,]", text):
        if not word.strip():
            continue
        key = re.sub(r"[^a-z0-9]+", "_", word.strip().lower()).strip("_")
        (keys if key in allowed else unknown).append(key if key in allowed else word.strip())
    cell = PHASE_SEPARATOR.join(dict.fromkeys(keys)) or None
    return cell, tuple(unknown)
