"""Exact coverage: which targets lie within reach of which post, by WGS84 geodesic distance."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy.spatial import cKDTree

from geo.crs import arc_bounds_m, arc_estimate_m, ecef, geodesic_m
from geo.model import POST_KINDS, TARGET_KINDS, Col, Derived, Kind, PostType

__all__ = [
    "COVERING_POST_TYPES",
    "Coverage",
    "NearestCover",
    "compute_coverage",
    "covers",
    "nearest_and_covering",
    "post_radii_m",
]

# Beyond this chord the sphere estimate of a distance may be off by more than 2 cm, so
# distances are computed exactly instead.
_ESTIMATE_LIMIT_M = 10_000.0
# Distances that differ by less than this are ties; ties go to the source listed first.
_TIE_M = 1e-3
# A target on the radius is covered; "on" allows for a millimetre of floating-point noise.
_ON_RADIUS_M = 1e-3


@dataclass(frozen=True)
class NearestCover:
    """Result of :func:`nearest_and_covering`; arrays align with the targets or the pairs.

    Attributes
    ----------
    nearest
        Index of the nearest source per target (-1 when there is no source).
    nearest_m
        Geodesic distance to it in metres (inf when there is no source).
    n_covering
        Number of sources whose radius reaches the target.
    pair_target, pair_source, pair_m
        Every (target, source) pair where the source covers the target, with the distance
        (in no particular order).
    """

    nearest: NDArray[np.intp]
    nearest_m: NDArray[np.float64]
    n_covering: NDArray[np.intp]
    pair_target: NDArray[np.intp]
    pair_source: NDArray[np.intp]
    pair_m: NDArray[np.float64]

    @property
    def covered(self) -> NDArray[np.bool_]:
        """True where at least one source reaches the target."""
        return self.n_covering > 0


def nearest_and_covering(
    target_lon: ArrayLike,
    target_lat: ArrayLike,
    source_lon: ArrayLike,
    source_lat: ArrayLike,
    *,
    source_radius_m: ArrayLike,
) -> NearestCover:
    """Nearest source and covering sources for every target, by exact geodesic distance.

    A KD-tree over Earth-centred coordinates gives chord distances; the chord bounds the
    geodesic from below and a circle of the ellipsoid's tightest curvature bounds it from
    above, so only pairs whose bounds straddle a decision are measured with the exact
    geodesic (pyproj). Each source searches a tree of the targets within its own reach;
    memory grows with targets + sources + candidate pairs, never with targets x sources.

    Parameters
    ----------
    target_lon, target_lat, source_lon, source_lat
        Degrees, WGS84.
    source_radius_m
        Reach of each source in metres; a target exactly on the radius is covered.

    Returns
    -------
    result
        Nearest source index and distance, covering count and covering pairs. Ties in
        distance (within 1 mm) go to the lowest source index.
    """
    t_lonlat = (np.asarray(target_lon, dtype=float), np.asarray(target_lat, dtype=float))
    s_lonlat = (np.asarray(source_lon, dtype=float), np.asarray(source_lat, dtype=float))
    radius = np.asarray(source_radius_m, dtype=float)
    n_t = len(t_lonlat[0])
    if len(s_lonlat[0]) == 0 or n_t == 0:
        empty = np.array([], dtype=np.intp)
        return NearestCover(
            nearest=np.full(n_t, -1, dtype=np.intp),
            nearest_m=np.full(n_t, np.inf),
            n_covering=np.zeros(n_t, dtype=np.intp),
            pair_target=empty,
            pair_source=empty,
            pair_m=np.array([], dtype=float),
        )
    targets = ecef(*t_lonlat)
    tree = cKDTree(ecef(*s_lonlat))
    nearest, nearest_m = _nearest(tree, targets, t_lonlat, s_lonlat)
    reach = radius + _ON_RADIUS_M
    pt, ps, pc = _candidates(targets, tree, reach)
    pair_m, reaches, measured = _decide(pt, ps, pc, reach, t_lonlat, s_lonlat)
    _prefer_measured(nearest, nearest_m, pt, ps, pair_m, measured)
    pt, ps, pair_m = pt[reaches], ps[reaches], pair_m[reaches]
    n_covering = np.bincount(pt, minlength=n_t).astype(np.intp)
    return NearestCover(nearest, nearest_m, n_covering, pt, ps, pair_m)


def _candidates(
    targets: NDArray[np.float64], tree: cKDTree, reach: NDArray[np.float64]
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64]]:
    """(target, source, chord) for every target within a source's reach by chord.

    Searched from the sources' side, each with its own reach, so no pair beyond reach is
    ever formed (a chord never exceeds the geodesic it spans).
    """
    target_tree = cKDTree(targets, balanced_tree=False, compact_nodes=False)
    lists = target_tree.query_ball_point(tree.data, reach, return_sorted=False, workers=-1)
    ps, pt = _flatten(np.arange(tree.n, dtype=np.intp), lists)
    pc = np.linalg.norm(targets[pt] - tree.data[ps], axis=1)
    return pt, ps, pc


def _prefer_measured(
    nearest: NDArray[np.intp],
    nearest_m: NDArray[np.float64],
    pt: NDArray[np.intp],
    ps: NDArray[np.intp],
    pair_m: NDArray[np.float64],
    measured: NDArray[np.bool_],
) -> None:
    """Where a pair with the nearest source was measured exactly to decide it, report that
    measure as the nearest distance too, so a distance shown never contradicts the covered
    flag (in place)."""
    same = measured & (ps == nearest[pt])
    nearest_m[pt[same]] = pair_m[same]


def _nearest(
    tree: cKDTree,
    targets: NDArray[np.float64],
    t_lonlat: tuple[NDArray[np.float64], NDArray[np.float64]],
    s_lonlat: tuple[NDArray[np.float64], NDArray[np.float64]],
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """Nearest source per target: by chord, then exactly where a rival might be nearer."""
    k = min(2, tree.n)
    chord, idx = tree.query(targets, k=k, workers=-1)
    chord = chord.reshape(len(targets), k)
    nearest = idx.reshape(len(targets), k)[:, 0].astype(np.intp)
    _, upper = arc_bounds_m(chord[:, 0])
    second = chord[:, 1] if k == 2 else np.full(len(targets), np.inf)
    # a second source whose chord is within the first one's upper bound might be nearer
    rival = second <= upper + _TIE_M
    nearest_m = arc_estimate_m(chord[:, 0])
    t_lon, t_lat = t_lonlat
    s_lon, s_lat = s_lonlat
    long_line = np.flatnonzero((chord[:, 0] > _ESTIMATE_LIMIT_M) & ~rival)
    if len(long_line):
        j = nearest[long_line]
        nearest_m[long_line] = geodesic_m(t_lon[long_line], t_lat[long_line], s_lon[j], s_lat[j])
    ambiguous = np.flatnonzero(rival)
    if len(ambiguous):
        candidates = tree.query_ball_point(targets[ambiguous], upper[ambiguous] + _TIE_M)
        at, asrc = _flatten(ambiguous, candidates)
        dist = geodesic_m(t_lon[at], t_lat[at], s_lon[asrc], s_lat[asrc])
        best, best_m = _argmin_by_group(at, asrc, dist)
        nearest[ambiguous] = best[ambiguous]
        nearest_m[ambiguous] = best_m[ambiguous]
    return nearest, nearest_m


def _decide(
    pt: NDArray[np.intp],
    ps: NDArray[np.intp],
    pc: NDArray[np.float64],
    reach: NDArray[np.float64],
    t_lonlat: tuple[NDArray[np.float64], NDArray[np.float64]],
    s_lonlat: tuple[NDArray[np.float64], NDArray[np.float64]],
) -> tuple[NDArray[np.float64], NDArray[np.bool_], NDArray[np.bool_]]:
    """Distance of each pair, whether the source reaches the target, and which were measured.

    A chord beyond the reach rules a pair out and an upper bound within it rules it in;
    only the pairs in between (a band of centimetres) are measured exactly.
    """
    _, upper = arc_bounds_m(pc)
    pair_m = arc_estimate_m(pc)
    reaches = upper <= reach[ps]
    # every candidate's chord is within reach (the search asked for that)
    unsure = np.flatnonzero(~reaches | (pc > _ESTIMATE_LIMIT_M))

    measured = np.zeros(len(pt), dtype=bool)
    if len(unsure):
        t_lon, t_lat = t_lonlat
        s_lon, s_lat = s_lonlat
        u_t, u_s = pt[unsure], ps[unsure]
        exact = geodesic_m(t_lon[u_t], t_lat[u_t], s_lon[u_s], s_lat[u_s])
        pair_m[unsure] = exact
        reaches[unsure] = exact <= reach[u_s]
        measured[unsure] = True
    return pair_m, reaches, measured


def _flatten(owners: NDArray[np.intp], lists: object) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Turn per-owner lists of indices into two aligned index arrays."""
    seq = list(lists)  # type: ignore[call-overload]
    lengths = np.fromiter((len(x) for x in seq), dtype=np.intp, count=len(seq))
    flat = np.fromiter(itertools.chain.from_iterable(seq), dtype=np.intp, count=int(lengths.sum()))
    return np.repeat(np.asarray(owners, dtype=np.intp), lengths), flat


def _argmin_by_group(
    group: NDArray[np.intp], member: NDArray[np.intp], dist: NDArray[np.float64]
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """Per group, the member at the least distance; ties within 1 mm go to the lowest index."""
    size = int(group.max()) + 1
    best_m = np.full(size, np.inf)
    np.minimum.at(best_m, group, dist)
    is_tied_best = dist <= best_m[group] + _TIE_M
    best = np.full(size, np.iinfo(np.intp).max, dtype=np.intp)
    np.minimum.at(best, group[is_tied_best], member[is_tied_best])
    chosen = np.full(size, np.inf)
    pick = member == best[group]
    chosen[group[pick]] = dist[pick]
    return best, chosen


@dataclass(frozen=True)
class Coverage:
    """Coverage of an operation's targets by its posts.

    Attributes
    ----------
    targets
        Polling stations and demonstration points with `nearest_post_id`,
        `nearest_post_m` (geodesic metres), `covered` and `n_covering`.
    posts
        Police posts with `radius_used_m`, `n_covered` (polling stations within reach)
        and `n_catchment` (polling stations for which the post is the nearest); reserve
        units are among them with their response reach and 0 for both counts.
    pairs
        One row per covering (target, post) pair: `target_id`, `post_id`, `distance_m`.
    """

    targets: gpd.GeoDataFrame
    posts: gpd.GeoDataFrame
    pairs: pd.DataFrame

    @property
    def covering(self) -> gpd.GeoDataFrame:
        """The posts that cover targets (:func:`covers`): every post but the reserves."""
        return self.posts[covers(self.posts).to_numpy()]

    @property
    def reserves(self) -> gpd.GeoDataFrame:
        """The reserve units: posts whose radius is a response reach, covering nothing."""
        return self.posts[~covers(self.posts).to_numpy()]

    def covering_posts(self, target_id: str) -> pd.DataFrame:
        """The posts that reach one target, nearest first."""
        rows = self.pairs[self.pairs[Derived.TARGET_ID] == target_id]
        return rows.sort_values([Derived.DISTANCE_M, Derived.POST_ID]).reset_index(drop=True)


# The post types whose radius is a coverage radius: a reserve unit's is a response reach.
COVERING_POST_TYPES: tuple[PostType, ...] = tuple(p for p in PostType if p != PostType.RESERVE)


def covers(posts: pd.DataFrame) -> pd.Series:
    """Whether each post covers the targets within its radius (aligned with `posts`).

    A reserve unit (`PostType.RESERVE`) is a response force at its base, not a static
    guard: its radius is how far it responds, and a TPS within it is still unguarded. Every
    coverage figure (uncovered TPS, nearest post, reach rings, placement, the logistics
    chain's reach) counts only the posts this returns True for.
    """
    if Col.POST_TYPE not in posts:
        return pd.Series(True, index=posts.index)
    return posts[Col.POST_TYPE].isin([p.value for p in COVERING_POST_TYPES]).astype(bool)


def post_radii_m(posts: pd.DataFrame, radius_m: Mapping[PostType, float]) -> pd.Series:
    """Reach of each post in metres: its own `radius_m` if set, else its post type's."""
    by_type = posts[Col.POST_TYPE].map(lambda t: radius_m[PostType(t)])
    if Col.RADIUS_M not in posts:
        return by_type.astype(float)
    own = pd.to_numeric(posts[Col.RADIUS_M], errors="coerce")
    return own.where(own > 0, by_type).astype(float)


def compute_coverage(
    sites: gpd.GeoDataFrame,
    *,
    radius_m: Mapping[PostType, float],
    target_kinds: tuple[Kind, ...] = TARGET_KINDS,
) -> Coverage:
    """Coverage of the targets (polling stations, demonstration points) by the posts.

    Which kinds are targets and which are posts comes from `geo.model.KINDS`; only the
    posts that :func:`covers` reach targets (a reserve unit is listed among the posts with
    its response reach as `radius_used_m`, and covers nothing).

    Parameters
    ----------
    sites
        Canonical sites in EPSG:4326 (see :mod:`geo.model`).
    radius_m
        Reach in metres per post type; a post's own `radius_m` overrides it.
    target_kinds
        Which kinds of site count as targets.

    Returns
    -------
    coverage
        Targets and posts with their coverage columns, and the covering pairs.
    """
    kinds = sites[Col.KIND]
    every_post = sites[kinds.isin(POST_KINDS)].sort_values(Col.SITE_ID, kind="stable")
    covering = covers(every_post).to_numpy()
    posts = every_post[covering]
    targets = sites[kinds.isin([k.value for k in target_kinds])]
    radii = post_radii_m(every_post, radius_m)
    result = nearest_and_covering(
        targets.geometry.x.to_numpy(),
        targets.geometry.y.to_numpy(),
        posts.geometry.x.to_numpy(),
        posts.geometry.y.to_numpy(),
        source_radius_m=radii.to_numpy()[covering],
    )
    post_ids = posts[Col.SITE_ID].to_numpy()
    has_post = result.nearest >= 0
    nearest_id = np.full(len(targets), None, dtype=object)
    nearest_id[has_post] = post_ids[result.nearest[has_post]]
    targets_out = targets.assign(
        **{
            Derived.NEAREST_POST_ID: pd.array(nearest_id, dtype="str"),
            Derived.NEAREST_POST_M: np.where(has_post, result.nearest_m, np.nan),
            Derived.COVERED: result.covered,
            Derived.N_COVERING: result.n_covering,
        }
    )
    is_tps = (targets[Col.KIND] == Kind.POLLING_STATION).to_numpy()
    catchment = np.zeros(len(every_post), dtype=np.intp)
    catchment[covering] = np.bincount(result.nearest[has_post & is_tps], minlength=len(posts))
    covered_tps = np.zeros(len(every_post), dtype=np.intp)
    covered_tps[covering] = np.bincount(
        result.pair_source[is_tps[result.pair_target]], minlength=len(posts)
    )
    posts_out = every_post.assign(
        **{
            Derived.RADIUS_USED_M: radii.to_numpy(),
            Derived.N_COVERED: covered_tps,
            Derived.N_CATCHMENT: catchment,
        }
    )
    target_ids = targets[Col.SITE_ID].to_numpy()
    pairs = pd.DataFrame(
        {
            Derived.TARGET_ID: target_ids[result.pair_target],
            Derived.POST_ID: post_ids[result.pair_source],
            Derived.DISTANCE_M: result.pair_m,
        }
    )
    return Coverage(targets=targets_out, posts=posts_out, pairs=pairs)
