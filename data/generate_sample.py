"""Build the sample operation "Pilkada 2024 — Polresta Pangkalpinang" (seeded, rebuildable).

Run ``python data/generate_sample.py`` from the project root. It reads

- ``data/pangkalpinang_kelurahan_19.71.geojson``: the 42 real kelurahan boundaries of Kota
  Pangkalpinang (``kode``, ``nama``), from cahyadsn/wilayah_boundaries (MIT; see
  ``data/SOURCES.md``), read through the same path as a boundary import (:mod:`geo.areas`);
- ``geo/sample/pangkalpinang/kelurahan_facts.csv``: code, name, kecamatan, centroid, area and
  the public 2024 TPS counts of those kelurahan (names and codes must match the boundaries),

and writes, in ``geo/sample/pangkalpinang/`` (shipped with the package):

- ``sites.geojson``: 311 synthetic TPS, each placed at random inside its own kelurahan
  (never in a sliver shared with a neighbour), plus government buildings, likely
  demonstration points, logistics sites and police posts at approximate positions inside the
  kelurahan they belong to (``location_quality`` says which);
- ``areas.geojson``: the 42 kelurahan as published and the 7 kecamatan formed by dissolving
  them on their parent code;
- ``operation.toml``: the settings.

Then, from the same seeded stream, the earlier operation it is compared with, "Pemilu 2024 —
Polresta Pangkalpinang", in ``geo/sample/pangkalpinang_pemilu2024/`` (``sites.geojson``,
``areas.geojson``, ``operation.toml``): each kelurahan's public Pemilu 2024 TPS count, made
from the Pilkada TPS (see :func:`build_earlier_tps`), its own posts and phases.

TPS positions are synthetic and buildings and posts approximate, and the files say so; the
boundaries are real (simplified by their publisher). GeoJSON is written one feature a line.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import Point, mapping
from shapely.ops import nearest_points, unary_union

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.areas import read_areas_file  # noqa: E402
from geo.model import Kind, LocationQuality, PostType, Risk  # noqa: E402

OUT = ROOT / "geo" / "sample" / "pangkalpinang"
BOUNDARIES = ROOT / "data" / "pangkalpinang_kelurahan_19.71.geojson"
BOUNDARY_NOTE = (
    "official kelurahan boundary (Kepmendagri 300.2.2-2138/2025, simplified by the publisher) "
    "from github.com/cahyadsn/wilayah_boundaries, MIT licence"
)
# keep sites this far inside their kelurahan, off the (simplified) boundary lines
INSET_M = 25.0
SEED = 20241127
TOTAL_TPS = 311
TOTAL_VOTERS = 164_330
RAWAN_SHARE = 0.06
UTM = "EPSG:32748"  # UTM zone 48 S covers Pangkalpinang (106.1 E)

_to_utm = Transformer.from_crs("EPSG:4326", UTM, always_xy=True).transform
_to_wgs = Transformer.from_crs(UTM, "EPSG:4326", always_xy=True).transform

KECAMATAN_CODES = {
    "Bukit Intan": "19.71.01",
    "Taman Sari": "19.71.02",
    "Pangkal Balam": "19.71.03",
    "Rangkui": "19.71.04",
    "Gerunggang": "19.71.05",
    "Gabek": "19.71.06",
    "Girimaya": "19.71.07",
}


@dataclass(frozen=True)
class Kelurahan:
    code: str
    name: str
    kecamatan: str
    lat: float
    lon: float
    area_km2: float
    tps_pemilu: int
    tps_khusus_pemilu: int

    @property
    def centroid_utm(self) -> Point:
        return Point(_to_utm(self.lon, self.lat))

    @property
    def radius_m(self) -> float:
        return math.sqrt(self.area_km2 * 1e6 / math.pi)


def read_facts() -> list[Kelurahan]:
    with (OUT / "kelurahan_facts.csv").open(encoding="utf-8") as f:
        return [
            Kelurahan(
                code=r["code"],
                name=r["kelurahan"],
                kecamatan=r["kecamatan"],
                lat=float(r["lat"]),
                lon=float(r["lon"]),
                area_km2=float(r["area_km2"]),
                tps_pemilu=int(r["tps_pemilu_2024"]),
                tps_khusus_pemilu=int(r["tps_khusus_2024"]),
            )
            for r in csv.DictReader(f)
        ]


def apportion(weights: list[int], total: int) -> list[int]:
    """Largest-remainder apportionment of `total` seats by `weights`."""
    quotas = [w * total / sum(weights) for w in weights]
    seats = [math.floor(q) for q in quotas]
    order = sorted(range(len(weights)), key=lambda i: quotas[i] - seats[i], reverse=True)
    for i in order[: total - sum(seats)]:
        seats[i] += 1
    return seats


def read_boundaries(kels: list[Kelurahan]):
    """The real kelurahan and their dissolved kecamatan, checked against the facts."""
    names = {code: name for name, code in KECAMATAN_CODES.items()}
    report = read_areas_file(BOUNDARIES, known_names=names)
    if report.counts["rejected"]:
        sys.exit(f"{BOUNDARIES.name}: {report.counts['rejected']} row(s) rejected")
    areas = report.accepted
    kel = areas[areas["level"] == "kelurahan"].set_index("area_code")
    facts = {k.code: k.name for k in kels}
    published = dict(zip(kel.index, kel["name"], strict=True))
    if facts != published:
        sys.exit("kelurahan_facts.csv and the boundaries disagree on codes or names")
    return areas


def own_regions(kels: list[Kelurahan], areas) -> list[shapely.Geometry]:
    """Each kelurahan (UTM) without what it shares with a neighbour, inset by INSET_M."""
    kel = areas[areas["level"] == "kelurahan"].set_index("area_code")
    shapes = {code: to_utm(geom) for code, geom in kel.geometry.items()}
    regions = []
    for k in kels:
        others = unary_union([g for code, g in shapes.items() if code != k.code])
        region = shapes[k.code].difference(others).buffer(-INSET_M)
        shapely.prepare(region)
        regions.append(region)
    return regions


def place_tps(
    rng: np.random.Generator, kel: Kelurahan, cell: shapely.Geometry, count: int
) -> list[Point]:
    """Place `count` TPS around the centroid, inside the kelurahan, some sharing a school."""
    spread = max(250.0, 0.55 * kel.radius_m)
    points: list[Point] = []
    while len(points) < count:
        r = spread * math.sqrt(rng.uniform())
        a = rng.uniform(0, 2 * math.pi)
        c = kel.centroid_utm
        p = Point(c.x + r * math.cos(a), c.y + r * math.sin(a))
        if not cell.contains(p):
            continue
        points.append(p)
        # several TPS often share one school: a neighbour 10-25 m away
        if len(points) < count and rng.uniform() < 0.3:
            d = rng.uniform(10, 25)
            q = Point(p.x + d * math.cos(a + 1), p.y + d * math.sin(a + 1))
            if cell.contains(q):
                points.append(q)
    return points


def to_utm(geom: shapely.Geometry) -> shapely.Geometry:
    """Reproject a longitude/latitude geometry to UTM."""
    return shapely.transform(geom, lambda xy: np.column_stack(_to_utm(xy[:, 0], xy[:, 1])))


def inside(region: shapely.Geometry, p: Point) -> Point:
    """`p` when it lies in `region`, else the nearest point a little inside it."""
    if region.contains(p):
        return p
    inner = region.buffer(-10.0)
    return nearest_points(inner if not inner.is_empty else region, p)[0]


def feature(geom_utm: Point, props: dict) -> dict:
    lon, lat = _to_wgs(geom_utm.x, geom_utm.y)
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
    }


def build_tps(rng: np.random.Generator, kels: list[Kelurahan], cells) -> list[dict]:
    """The Pilkada TPS as rows whose `_p` is their UTM point (:func:`feature` writes them)."""
    counts = apportion([k.tps_pemilu for k in kels], TOTAL_TPS)
    khusus = [math.ceil(k.tps_khusus_pemilu / 2) for k in kels]
    rows = []
    for kel, cell, n, n_khusus in zip(kels, cells, counts, khusus, strict=True):
        points = place_tps(rng, kel, cell, n)
        for i, p in enumerate(points, start=1):
            is_khusus = i > n - n_khusus
            name = f"TPS {i:03d} {kel.name}"
            if is_khusus:
                name += " (khusus, lembaga pemasyarakatan)"
            rows.append(
                {
                    "site_id": f"TPS-{kel.code}-{i:03d}",
                    "kind": Kind.POLLING_STATION.value,
                    "name": name,
                    "tps_no": i,
                    "kelurahan": kel.name,
                    "kecamatan": kel.kecamatan,
                    "area_code": kel.code,
                    "risk": Risk.KHUSUS.value if is_khusus else Risk.KURANG_RAWAN.value,
                    "location_quality": LocationQuality.SYNTHETIC.value,
                    "_p": p,
                }
            )
    regular = [r for r in rows if r["risk"] != Risk.KHUSUS]
    n_rawan = round(RAWAN_SHARE * len(rows))
    for idx in rng.choice(len(regular), size=n_rawan, replace=False):
        regular[idx]["risk"] = Risk.RAWAN.value
    voters = np.where(
        [r["risk"] == Risk.KHUSUS for r in rows],
        rng.integers(150, 320, len(rows)),
        rng.integers(430, 600, len(rows)),
    ).astype(float)
    voters = np.floor(voters * TOTAL_VOTERS / voters.sum()).astype(int)
    voters[: TOTAL_VOTERS - voters.sum()] += 1
    for r, v in zip(rows, voters, strict=True):
        r["voters"] = int(v)
    return rows


def features(rows: list[dict]) -> list[dict]:
    """Rows with their UTM point in `_p` as GeoJSON features (the rows are left as they are)."""
    return [feature(r["_p"], {k: v for k, v in r.items() if k != "_p"}) for r in rows]


def site(site_id: str, kind: Kind, name: str, p: Point, quality: LocationQuality, **extra) -> dict:
    props = {"site_id": site_id, "kind": kind.value, "name": name}
    props.update({k: (v.value if hasattr(v, "value") else v) for k, v in extra.items()})
    props["location_quality"] = quality.value
    return feature(p, props)


def build_places(kels: list[Kelurahan], regions: list[shapely.Geometry], areas) -> list[dict]:
    """Government buildings, demonstration points, logistics sites and police posts, each
    inside the kelurahan (or kecamatan) it belongs to."""
    k = {kel.name: (kel, region) for kel, region in zip(kels, regions, strict=True)}

    def near(place: tuple[Kelurahan, shapely.Geometry], dx_m: float, dy_m: float) -> Point:
        kel, region = place
        c = kel.centroid_utm
        return inside(region, Point(c.x + dx_m, c.y + dy_m))

    approx = LocationQuality.APPROXIMATE
    assumed = "placed by assumption near the kelurahan centroid; verify before use"
    gov = near(k["Air Itam"], -350, -420)
    dprd = near(k["Air Itam"], -80, -650)
    mayor = near(k["Batu Intan"], 60, 40)
    kpu = near(k["Gedung Nasional"], 150, -120)
    bawaslu = near(k["Opas Indah"], -120, 80)
    kpu_prov = near(k["Air Itam"], 420, -260)
    alun = near(k["Batin Tikal"], 40, 30)
    out = [
        site(
            "GOV-GUBERNUR",
            Kind.GOVERNMENT,
            "Kantor Gubernur Kepulauan Bangka Belitung",
            gov,
            approx,
            role="governor",
            note=assumed,
        ),
        site(
            "GOV-DPRD",
            Kind.GOVERNMENT,
            "Gedung DPRD Provinsi Kepulauan Bangka Belitung",
            dprd,
            approx,
            role="dprd",
            note=assumed,
        ),
        site(
            "GOV-WALIKOTA",
            Kind.GOVERNMENT,
            "Kantor Wali Kota Pangkalpinang",
            mayor,
            approx,
            role="mayor",
            note=assumed,
        ),
        site(
            "GOV-KPU-KOTA",
            Kind.GOVERNMENT,
            "KPU Kota Pangkalpinang",
            kpu,
            approx,
            role="kpu",
            note=assumed,
        ),
        site(
            "GOV-BAWASLU-KOTA",
            Kind.GOVERNMENT,
            "Bawaslu Kota Pangkalpinang",
            bawaslu,
            approx,
            role="bawaslu",
            note=assumed,
        ),
        site(
            "GOV-KPU-PROV",
            Kind.GOVERNMENT,
            "KPU Provinsi Kepulauan Bangka Belitung",
            kpu_prov,
            approx,
            role="kpu",
            note=assumed,
        ),
        site(
            "DEMO-ALUN-ALUN",
            Kind.DEMONSTRATION_POINT,
            "Alun-alun Taman Merdeka",
            alun,
            approx,
            note="square used for rallies; position approximate",
            # a rally ground: on the map in the campaign only (assumption)
            phases="kampanye",
        ),
        site(
            "DEMO-GUBERNUR",
            Kind.DEMONSTRATION_POINT,
            "Jalan masuk Kantor Gubernur",
            near(k["Air Itam"], -700, -300),
            approx,
            note="approach road; demonstrations 2019",
        ),
        site(
            "DEMO-DPRD",
            Kind.DEMONSTRATION_POINT,
            "Depan Gedung DPRD Babel",
            near(k["Air Itam"], -150, -820),
            approx,
            note="demonstrations 2021, 2025",
        ),
        site(
            "DEMO-WALIKOTA",
            Kind.DEMONSTRATION_POINT,
            "Depan Kantor Wali Kota",
            near(k["Batu Intan"], 160, 120),
            approx,
            note="demonstration Oct 2024",
        ),
        site(
            "DEMO-KPU-KOTA",
            Kind.DEMONSTRATION_POINT,
            "Depan KPU Kota Pangkalpinang",
            near(k["Gedung Nasional"], 230, -60),
            approx,
            note="demonstration Oct 2024",
        ),
        site(
            "DEMO-KPU-PROV",
            Kind.DEMONSTRATION_POINT,
            "Depan KPU Provinsi Babel",
            near(k["Air Itam"], 520, -180),
            approx,
            note="demonstrations 2019",
        ),
        site(
            "LOG-GUDANG-KPU",
            Kind.LOGISTICS,
            "Gudang logistik KPU Kota Pangkalpinang",
            near(k["Bacang"], 300, 250),
            approx,
            role="warehouse",
            area_code="19.71",
            note=assumed,
        ),
    ]
    kec = areas[areas["level"] == "kecamatan"].set_index("area_code")
    for kecamatan, code in KECAMATAN_CODES.items():
        members = [kel for kel in kels if kel.kecamatan == kecamatan]
        centre = unary_union([m.centroid_utm for m in members]).centroid
        region = to_utm(kec.loc[code, "geometry"]).buffer(-INSET_M)
        out.append(
            site(
                f"LOG-PPK-{code}",
                Kind.LOGISTICS,
                f"PPK Kecamatan {kecamatan} (rekapitulasi)",
                inside(region, Point(centre.x + 120, centre.y + 90)),
                approx,
                role="ppk",
                area_code=code,
                note=assumed,
            )
        )
        out.append(
            site(
                f"POST-POLSEK-{code}",
                Kind.POLICE_POST,
                f"Polsek {kecamatan}",
                inside(region, Point(centre.x - 150, centre.y - 110)),
                approx,
                post_type=PostType.POLSEK,
                personnel=18,
                note=assumed,
            )
        )
    out += [
        site(
            "POST-MAKO",
            Kind.POLICE_POST,
            "Mako Polresta Pangkalpinang",
            near(k["Gedung Nasional"], -160, 60),
            approx,
            post_type=PostType.MAKO,
            personnel=120,
            note=assumed,
        ),
        # the Dalmas reserve waits near the Mako from the vote to the end (strength assumed:
        # one platoon; a spot of its own, so that each can be picked on the map); its reach
        # lies inside the Mako's, so the sample's coverage figures stay those of its posts
        site(
            "POST-MAKO-DALMAS",
            Kind.POLICE_POST,
            "Pasukan cadangan Dalmas (Mako Polresta)",
            near(k["Gedung Nasional"], 140, 340),
            approx,
            post_type=PostType.RESERVE,
            personnel=30,
            radius_m=1900,
            unit="dalmas",
            phases="pungut_hitung;rekapitulasi;penetapan",
            note="synthetic: strength, reach and phases assumed",
        ),
        site(
            "POST-TERPADU-ALUN",
            Kind.POLICE_POST,
            "Pos Terpadu Alun-alun Taman Merdeka",
            near(k["Batin Tikal"], -30, 60),
            approx,
            post_type=PostType.POS_TERPADU,
            personnel=24,
            note="joint post Polri/TNI/Pemda",
        ),
        site(
            "POST-PAM-GUBERNUR",
            Kind.POLICE_POST,
            "Pos Pam Kantor Gubernur",
            near(k["Air Itam"], -320, -380),
            approx,
            post_type=PostType.POS_PAM,
            personnel=12,
            note=assumed,
        ),
        site(
            "POST-PAM-GUDANG",
            Kind.POLICE_POST,
            "Pos Pam Gudang Logistik KPU",
            near(k["Bacang"], 330, 220),
            approx,
            post_type=PostType.POS_PAM,
            personnel=10,
            note="guards the KPU warehouse",
        ),
        site(
            "POST-PAM-PASAR",
            Kind.POLICE_POST,
            "Pos Pam Pasar Pagi",
            near(k["Pasar Padi"], 0, 80),
            approx,
            post_type=PostType.POS_PAM,
            personnel=6,
            note=assumed,
        ),
        site(
            "POST-PAM-SELINDUNG",
            Kind.POLICE_POST,
            "Pos Pam Selindung",
            near(k["Selindung"], 200, -300),
            approx,
            post_type=PostType.POS_PAM,
            personnel=6,
            note=assumed,
        ),
        site(
            "POST-PAM-KERAMAT",
            Kind.POLICE_POST,
            "Pos Pam Keramat",
            near(k["Keramat"], 0, 0),
            approx,
            post_type=PostType.POS_PAM,
            personnel=6,
            note=assumed,
        ),
        site(
            "POST-PATROLI-BARAT",
            Kind.POLICE_POST,
            "Basis Patroli Gerunggang Barat",
            near(k["Air Kepala Tujuh"], -300, 200),
            approx,
            post_type=PostType.PATROL,
            personnel=8,
            note="mobile patrol base",
        ),
    ]
    return out


def build_areas(areas) -> list[dict]:
    """The real kelurahan and the kecamatan dissolved from them, as canonical areas."""
    notes = {
        "kelurahan": BOUNDARY_NOTE,
        "kecamatan": "formed by dissolving the kelurahan boundaries on their kecamatan code",
    }
    feats = []
    for level in ("kelurahan", "kecamatan"):
        for row in areas[areas["level"] == level].itertuples():
            feats.append(
                {
                    "type": "Feature",
                    "properties": {
                        "area_code": row.area_code,
                        "name": row.name,
                        "level": level,
                        "parent_code": row.parent_code,
                        "approximate": False,
                        "note": notes[level],
                    },
                    "geometry": mapping(_rounded(row.geometry)),
                }
            )
    return feats


def _rounded(geom: shapely.Geometry) -> shapely.Geometry:
    return shapely.set_precision(geom, 1e-6)


# --- The earlier operation: Pemilu 2024 in the same kelurahan ----------------------------
# Pemilu 2024 had twice the TPS of the Pilkada (at most 300 voters a TPS against 600): the
# kelurahan's public Pemilu counts (622 in the city, 7 of them in prisons). A TPS is matched
# across the two by kelurahan and number, so Pemilu TPS 1..m of a kelurahan whose Pilkada
# has m TPS are the Pilkada's (mostly at the same school) and the others were merged away.

EARLIER_OUT = ROOT / "geo" / "sample" / "pangkalpinang_pemilu2024"
PEMILU_RAWAN_SHARE = 43 / 738  # Polresta's area, Pemilu 2024: 43 rawan of 738 TPS
MOVED_TPS = 5  # matched TPS whose Pemilu school lay elsewhere (farther than 180 m)
MOVED_MIN_M, MOVED_MAX_M = 180.0, 600.0
DOUBLE_KEYED = 2  # kelurahan whose Pemilu list records one TPS number twice
KEEP_RAWAN = 0.5  # chance that a Pilkada rawan TPS was rawan in the Pemilu too


def _moved_point(rng: np.random.Generator, cell: shapely.Geometry, p: Point) -> Point:
    """A point of `cell` MOVED_MIN_M to MOVED_MAX_M from `p`."""
    for _ in range(10_000):
        r = rng.uniform(MOVED_MIN_M, MOVED_MAX_M)
        a = rng.uniform(0, 2 * math.pi)
        q = Point(p.x + r * math.cos(a), p.y + r * math.sin(a))
        if cell.contains(q):
            return q
    sys.exit(f"no point {MOVED_MIN_M:.0f}-{MOVED_MAX_M:.0f} m from {p} inside its kelurahan")


def _beside(rng: np.random.Generator, cell: shapely.Geometry, p: Point, lo: float, hi: float):
    """A point `lo`..`hi` metres from `p` inside `cell` (another TPS at the same place), else
    `p` itself."""
    d, a = rng.uniform(lo, hi), rng.uniform(0, 2 * math.pi)
    q = Point(p.x + d * math.cos(a), p.y + d * math.sin(a))
    return q if cell.contains(q) else p


def _earlier_picks(
    rng: np.random.Generator, kels: list[Kelurahan], later: dict[str, list[dict]]
) -> tuple[dict[str, int], set[tuple[str, int]]]:
    """The kelurahan whose Pemilu list keys number k twice (k by code), and the (code, number)
    of the matched TPS that moved; both among TPS regular in the two lists."""

    def regular(kel: Kelurahan, i: int) -> bool:
        rows = later[kel.code]
        return (
            i <= len(rows)
            and rows[i - 1]["risk"] != Risk.KHUSUS
            and (i <= kel.tps_pemilu - kel.tps_khusus_pemilu)
        )

    pairs = [(kel, k) for kel in kels for k in range(2, len(later[kel.code]))]
    pairs = [(kel, k) for kel, k in pairs if regular(kel, k) and regular(kel, k + 1)]
    codes = sorted({kel.code for kel, _ in pairs})
    doubled = {}
    for code in rng.choice(codes, size=DOUBLE_KEYED, replace=False):
        options = [k for kel, k in pairs if kel.code == code]
        doubled[str(code)] = int(rng.choice(options))
    # a move needs room: kelurahan of at least 1 km²
    movable = [
        (kel.code, i)
        for kel in kels
        if kel.area_km2 >= 1.0 and kel.code not in doubled
        for i in range(1, len(later[kel.code]) + 1)
        if regular(kel, i)
    ]
    moved = {movable[int(j)] for j in rng.choice(len(movable), size=MOVED_TPS, replace=False)}
    return doubled, moved


def build_earlier_tps(
    rng: np.random.Generator, kels: list[Kelurahan], cells, later_rows: list[dict]
) -> list[dict]:
    """The Pemilu 2024 TPS of the same kelurahan (rows with their UTM point in `_p`), made
    from the Pilkada TPS `later_rows`: each kelurahan's public Pemilu count, the matched
    numbers mostly at the Pilkada's place, the others merged away (beside a kept TPS), the
    prison TPS sangat rawan (as Pemilu 2024 classed them), a few moved, two numbers keyed
    twice (a keying slip: those TPS cannot be matched)."""
    later = {kel.code: [r for r in later_rows if r["area_code"] == kel.code] for kel in kels}
    doubled, moved = _earlier_picks(rng, kels, later)
    rows = []
    for kel, cell in zip(kels, cells, strict=True):
        now = later[kel.code]
        regular_now = [r for r in now if r["risk"] != Risk.KHUSUS]
        prisons = [r["_p"] for r in now if r["risk"] == Risk.KHUSUS]
        for i in range(1, kel.tps_pemilu + 1):
            khusus = i > kel.tps_pemilu - kel.tps_khusus_pemilu
            if khusus:
                p = (
                    _beside(rng, cell, prisons[0], 8, 20)
                    if prisons
                    else place_tps(rng, kel, cell, 1)[0]
                )
            elif i <= len(now) and now[i - 1]["risk"] != Risk.KHUSUS:
                p = now[i - 1]["_p"]
                if (kel.code, i) in moved:
                    p = _moved_point(rng, cell, p)
            elif i <= len(now):  # a prison TPS now: the Pemilu's was a school
                p = place_tps(rng, kel, cell, 1)[0]
            else:  # merged into a Pilkada TPS: it stood beside it
                kept = regular_now[int(rng.integers(len(regular_now)))]["_p"]
                p = _beside(rng, cell, kept, 10, 40)
            name = f"TPS {i:03d} {kel.name}"
            row = {
                "site_id": f"TPS-P24-{kel.code}-{i:03d}",
                "kind": Kind.POLLING_STATION.value,
                "name": name + (" (lokasi khusus, lembaga pemasyarakatan)" if khusus else ""),
                "tps_no": i,
                "kelurahan": kel.name,
                "kecamatan": kel.kecamatan,
                "area_code": kel.code,
                "risk": Risk.SANGAT_RAWAN.value if khusus else Risk.KURANG_RAWAN.value,
                "location_quality": LocationQuality.SYNTHETIC.value,
                "_p": p,
            }
            if doubled.get(kel.code) == i - 1:
                row["tps_no"] = i - 1
                row["note"] = "synthetic keying slip: recorded under the number of the TPS before"
            rows.append(row)
    _earlier_risks(rng, rows, later_rows)
    for r in rows:
        low = 150 if r["risk"] == Risk.SANGAT_RAWAN else 200
        r["voters"] = int(rng.integers(low, 301))  # Pemilu 2024: at most 300 voters a TPS
    return rows


def _earlier_risks(rng: np.random.Generator, rows: list[dict], later_rows: list[dict]) -> None:
    """Mark the Pemilu's rawan TPS: about half the Pilkada's rawan ones (same number, same
    place), the rest at random, PEMILU_RAWAN_SHARE of all."""
    rawan_now = {
        (r["area_code"], r["tps_no"], r["_p"].wkb) for r in later_rows if r["risk"] == Risk.RAWAN
    }
    regular = [r for r in rows if r["risk"] == Risk.KURANG_RAWAN]
    was = [r for r in regular if (r["area_code"], r["tps_no"], r["_p"].wkb) in rawan_now]
    kept = [r for r in was if rng.uniform() < KEEP_RAWAN]
    chosen = {id(r) for r in kept}
    others = [r for r in regular if id(r) not in chosen]
    n_more = max(0, round(PEMILU_RAWAN_SHARE * len(rows)) - len(kept))
    for r in kept + [others[int(j)] for j in rng.choice(len(others), n_more, replace=False)]:
        r["risk"] = Risk.RAWAN.value


def build_earlier_places(
    kels: list[Kelurahan], regions: list[shapely.Geometry], places: list[dict]
) -> list[dict]:
    """The Pemilu's buildings, demonstration points and logistics sites (the Pilkada's) and
    its own posts: no Dalmas reserve post and no Pasar Pagi post, other strengths, and two
    posts of its own (assumed)."""
    k = {kel.name: (kel, region) for kel, region in zip(kels, regions, strict=True)}
    strength = {"mako": 100, "polsek": 15, "pos_pam": 8}
    out = []
    for place in places:
        props = dict(place["properties"])
        if props["site_id"] in ("POST-MAKO-DALMAS", "POST-PAM-PASAR"):
            continue
        if props.get("post_type") in strength:
            props["personnel"] = strength[props["post_type"]]
        out.append({**place, "properties": props})

    def near(name: str, dx_m: float, dy_m: float) -> Point:
        kel, region = k[name]
        c = kel.centroid_utm
        return inside(region, Point(c.x + dx_m, c.y + dy_m))

    approx = LocationQuality.APPROXIMATE
    return [
        *out,
        site(
            "POST-PAM-TUATUNU",
            Kind.POLICE_POST,
            "Pos Pam Tua Tunu Indah",
            near("Tua Tunu Indah", 250, -150),
            approx,
            post_type=PostType.POS_PAM,
            personnel=8,
            note="synthetic: Pemilu 2024 post assumed",
        ),
        site(
            "POST-PATROLI-GABEK",
            Kind.POLICE_POST,
            "Basis Patroli Gabek",
            near("Gabek Dua", -100, 100),
            approx,
            post_type=PostType.PATROL,
            personnel=8,
            note="synthetic: Pemilu 2024 post assumed",
        ),
    ]


# What both sample operations set alike (their radii, ring zones, preset; the import margin).
_SHARED_SETTINGS = """# Coverage radius per post type, metres; a post's own radius_m overrides it.
[radius_m]
mako = 2500
polsek = 1500
pos_pam = 1000
pos_terpadu = 1000
patrol = 2000

# Ring zones around government buildings, metres (editable defaults, no doctrine found).
[ring_zones_m]
ring_1 = 30
ring_2 = 100
ring_3 = 300
ring_4 = 800

[staffing]
preset = "typical_2024"
"""
_IMPORT_SETTINGS = """
[import]
# imported sites further than this outside the operation's areas are flagged
area_margin_m = 5000
"""

SETTINGS = (
    """\
# Settings of the sample operation. Positions are synthetic or approximate: see data_note.
[operation]
title = "Pilkada 2024 — Polresta Pangkalpinang"
classification = "TERBATAS"
partner_classification = "TERBATAS — untuk mitra (KPU, Bawaslu, Forkopimda)"
language = "id"
synthetic = true
data_note = "Sample data: TPS positions are synthetic (placed at random inside their real \
kelurahan); buildings and posts are approximate. Kelurahan boundaries are the published ones \
(wilayah_boundaries, MIT). Counts follow public 2024 figures. Verify before operational use."

"""
    + _SHARED_SETTINGS
    + """
# Phases of the operation: Pilkada 2024 (PKPU 2/2024, public dates). Assumptions, marked:
# the operation's start (14 Aug, as Polda Metro Jaya's Operasi Mantap Praja) and its end
# (31 Dec); the vote-and-count phase runs H-1 to H+1 (ballot distribution, the vote on
# 27 Nov, the count and the boxes' return under escort), so the recapitulation is counted
# from 29 Nov although the PPK opens it on 28 Nov; the determination of results is taken to
# follow the recapitulation (17 Dec) to the operation's end.
[[phases]]
key = "persiapan"
start = 2024-08-14
end = 2024-09-24

[[phases]]
key = "kampanye"
start = 2024-09-25
end = 2024-11-23

[[phases]]
key = "masa_tenang"
start = 2024-11-24
end = 2024-11-25

[[phases]]
key = "pungut_hitung"
start = 2024-11-26
end = 2024-11-28

[[phases]]
key = "rekapitulasi"
start = 2024-11-29
end = 2024-12-16

[[phases]]
key = "penetapan"
start = 2024-12-17
end = 2024-12-31
"""
    + _IMPORT_SETTINGS
)


EARLIER_SETTINGS = (
    """\
# Settings of the earlier sample operation (the one the Pilkada sample is compared with).
# Positions are synthetic or approximate: see data_note.
[operation]
title = "Pemilu 2024 — Polresta Pangkalpinang"
classification = "TERBATAS"
partner_classification = "TERBATAS — untuk mitra (KPU, Bawaslu, Forkopimda)"
language = "id"
synthetic = true
data_note = "Sample data: TPS positions are synthetic (made from the Pilkada 2024 sample: \
the same school for most TPS of the same number, a few moved); buildings and posts are \
approximate. Kelurahan boundaries are the published ones (wilayah_boundaries, MIT). TPS \
counts per kelurahan follow public Pemilu 2024 figures; risk classes and staffing are \
synthetic. Verify before operational use."

"""
    + _SHARED_SETTINGS
    + """
# Phases of the operation: Pemilu 2024 (PKPU 3/2022 as amended, public dates): campaign
# 28 Nov 2023 - 10 Feb 2024, quiet period 11-13 Feb, the vote on 14 Feb, the count into
# 15 Feb, recapitulation to the KPU's national determination on 20 Mar 2024. Assumptions,
# marked: the operation's start (19 Oct 2023, approximate, Operasi Mantap Brata) and its end
# (30 Apr 2024, after the Constitutional Court's rulings); the vote-and-count phase runs H-1
# to H+1 as in the Pilkada sample, so the quiet period is counted to 12 Feb and the
# recapitulation from 16 Feb.
[[phases]]
key = "persiapan"
start = 2023-10-19
end = 2023-11-27

[[phases]]
key = "kampanye"
start = 2023-11-28
end = 2024-02-10

[[phases]]
key = "masa_tenang"
start = 2024-02-11
end = 2024-02-12

[[phases]]
key = "pungut_hitung"
start = 2024-02-13
end = 2024-02-15

[[phases]]
key = "rekapitulasi"
start = 2024-02-16
end = 2024-03-20

[[phases]]
key = "penetapan"
start = 2024-03-21
end = 2024-04-30
"""
    + _IMPORT_SETTINGS
)


def write_geojson(path: Path, name: str, features: list[dict]) -> None:
    """A FeatureCollection with one feature per line, in the order given: a change to one
    site changes one line of the file (and one line of a diff)."""
    head = json.dumps({"type": "FeatureCollection", "name": name}, ensure_ascii=False)
    lines = ",\n".join(json.dumps(f, ensure_ascii=False) for f in features)
    path.write_text(f'{head[:-1]}, "features": [\n{lines}\n]}}\n', encoding="utf-8")


def main() -> None:
    rng = np.random.default_rng(SEED)
    kels = read_facts()
    areas = read_boundaries(kels)
    regions = own_regions(kels, areas)
    tps = build_tps(rng, kels, regions)
    places = build_places(kels, regions, areas)
    area_features = build_areas(areas)
    write_geojson(OUT / "sites.geojson", "sites", features(tps) + places)
    write_geojson(OUT / "areas.geojson", "areas", area_features)
    (OUT / "operation.toml").write_text(SETTINGS, encoding="utf-8")
    print(f"wrote {len(tps)} TPS and the other sites to {OUT}")
    # the earlier operation draws on the same seeded stream, after the Pilkada sample
    earlier = build_earlier_tps(rng, kels, regions, tps)
    EARLIER_OUT.mkdir(exist_ok=True)
    earlier_sites = features(earlier) + build_earlier_places(kels, regions, places)
    write_geojson(EARLIER_OUT / "sites.geojson", "sites", earlier_sites)
    write_geojson(EARLIER_OUT / "areas.geojson", "areas", area_features)
    (EARLIER_OUT / "operation.toml").write_text(EARLIER_SETTINGS, encoding="utf-8")
    print(f"wrote {len(earlier)} TPS and the other sites to {EARLIER_OUT}")


if __name__ == "__main__":
    main()
