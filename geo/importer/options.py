"""What shapes an import: the planner's choices and what the operation supplies."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import geopandas as gpd

from geo.errors import PoskoError
from geo.fields import CoordinateColumns
from geo.model import Kind, PostType, RiskRule, Settings, normalise_label

if TYPE_CHECKING:
    from geo.operation import Operation

__all__ = ["ImportChoices", "ImportContext", "apply_fix"]

_SETTING_DEFAULTS = {f.name: f.default for f in dataclasses.fields(Settings)}


@dataclass(frozen=True)
class ImportChoices:
    """The planner's choices for one import: hashable, the same from the app and the CLI.

    Attributes
    ----------
    kind
        File-level kind ("these are all polling stations"), used for every row.
    crs
        CRS of the coordinates, overriding what the file declares (e.g. "EPSG:27700").
    layer
        Layer or sheet to read.
    mapping
        Canonical field -> source column (None to leave a field unmapped), kept as sorted
        pairs; a mapping given as a dict is turned into them.
    coordinates
        Coordinate columns of a table, instead of the detected ones.
    swap_axes
        Swap latitude and longitude for every row.
    row_fixes
        Apply the per-row corrections the report suggests (decimal shift, sign, swap).
    strict
        Turn warnings into errors (rejecting those rows).
    accept_far
        Number of rows beyond the operation's area margin the planner accepts explicitly;
        they are rejected unless this equals their number (0: accept none).
    post_types
        The planner's post type for each value of the post-type column that names none
        (normalised with :func:`geo.model.normalise_label`; "" for an empty cell), kept as
        sorted pairs; a police post whose post type is neither given, nor chosen here, nor
        stated by its name is rejected.
    """

    kind: Kind | None = None
    crs: str | None = None
    layer: str | None = None
    mapping: tuple[tuple[str, str | None], ...] = ()
    coordinates: CoordinateColumns | None = None
    swap_axes: bool = False
    row_fixes: bool = False
    strict: bool = False
    accept_far: int = 0
    post_types: tuple[tuple[str, PostType], ...] = ()

    def __post_init__(self) -> None:
        pairs: Iterable[Any] = (
            self.mapping.items() if isinstance(self.mapping, Mapping) else self.mapping
        )
        object.__setattr__(self, "mapping", tuple(sorted((str(k), v) for k, v in pairs)))
        object.__setattr__(self, "crs", (self.crs or "").strip() or None)
        if self.kind is not None:
            object.__setattr__(self, "kind", Kind(self.kind))
        chosen: Iterable[Any] = (
            self.post_types.items() if isinstance(self.post_types, Mapping) else self.post_types
        )
        object.__setattr__(
            self,
            "post_types",
            tuple(sorted((normalise_label(str(k)), PostType(v)) for k, v in chosen)),
        )

    @property
    def columns(self) -> dict[str, str | None]:
        """The mapping overrides as a dict."""
        return dict(self.mapping)

    def post_type_for(self, value: str | None) -> PostType | None:
        """The post type the planner chose for a post-type cell (None: not chosen)."""
        return dict(self.post_types).get(normalise_label(value or ""))


@dataclass(frozen=True, eq=False)  # areas are a GeoDataFrame: compared by identity
class ImportContext:
    """What the operation supplies to an import: where sites belong, and limits.

    Build it with :meth:`for_operation`; the bare defaults are those of an operation's
    settings (:class:`geo.model.Settings`) without areas.

    Attributes
    ----------
    areas
        The operation's areas (EPSG:4326): rows further than `margin_m` outside are flagged.
        None when the operation has none.
    margin_m
        Allowed distance outside the areas, metres.
    max_rows
        Largest number of rows accepted in one file.
    risk_rule
        How TPS-rawan indicators give a TPS its risk class (`[risk_rule]`).
    time_budget_s
        Longest one import may take to read and check a file, seconds.
    phases
        Keys of the operation's phases a `phases` cell may name (empty: the default phases
        of `geo.phases`).
    """

    areas: gpd.GeoDataFrame | None = None
    margin_m: float = _SETTING_DEFAULTS["area_margin_m"]
    max_rows: int = _SETTING_DEFAULTS["max_import_rows"]
    risk_rule: RiskRule = dataclasses.field(default_factory=RiskRule)
    time_budget_s: float = _SETTING_DEFAULTS["import_time_budget_s"]
    phases: tuple[str, ...] = ()

    @classmethod
    def for_operation(cls, operation: Operation) -> ImportContext:
        """The context an operation gives: its areas, `[import]` margin and row limit, and
        its `[risk_rule]`."""
        areas = operation.areas
        return cls(
            areas=areas if areas is not None and not areas.empty else None,
            margin_m=float(operation.settings.area_margin_m),
            max_rows=int(operation.settings.max_import_rows),
            risk_rule=operation.settings.risk_rule,
            time_budget_s=float(operation.settings.import_time_budget_s),
            phases=tuple(p.key for p in operation.settings.phases),
        )


def apply_fix(choices: ImportChoices, fix_id: str) -> ImportChoices:
    """The choices with a one-click fix applied.

    Raises
    ------
    PoskoError
        When the fix is unknown.
    """
    if fix_id == "swap_axes":
        return replace(choices, swap_axes=True)
    if fix_id == "row_fixes":
        return replace(choices, row_fixes=True)
    if fix_id.startswith("crs:"):
        return replace(choices, crs=fix_id[4:])
    msg = f"Unknown fix {fix_id!r}."
    raise PoskoError(msg)
