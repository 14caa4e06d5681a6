"""The partner briefing: TPS, areas, phases and the chain — and nothing of the police's own.

No post position (coordinates, site id or name), no personnel figure and no reach ring may
reach the file, on the sample and on an operation whose posts carry unmistakable values.
"""

from __future__ import annotations

import base64
import json
import math
import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
import pytest

from geo.analysis import Analysis, analyse
from geo.model import PARTNER_CLASSIFICATION, Col, Kind, PostType, Risk
from geo.text import format_int, label, t
from layers import grid
from layers.export import briefing_html
from layers.grid import CELL_PX, grid_runtime, risk_cell_summary, should_aggregate, unpack
from layers.partner import (
    PARTNER_CHAIN_ROWS,
    PARTNER_TPS_ROWS,
    chain_section,
    partner_briefing_html,
    partner_chain,
    partner_sections,
    phase_section,
)
from tests.conftest import make_operation, offset, site
from tests.layers.stacked import stacked_operation

WHEN = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)
HOSTILE = '<img src=x onerror="alert(1)">'
LON, LAT = 106.10, -2.10
# a post's values no TPS, count or date of the hostile operation shares
SECRET_PERSONNEL = 4321
SECRET_RADIUS_M = 1789.0


def _numbers(html: str) -> np.ndarray:
    """Every decimal number written in the file, sorted."""
    return np.sort(np.array([float(x) for x in re.findall(r"-?\d+\.\d+", html)]))


def _written(numbers: np.ndarray, value: float, tolerance: float = 1e-6) -> bool:
    at = np.searchsorted(numbers, value)
    near = numbers[max(at - 1, 0) : at + 1]
    return bool(len(near) and np.min(np.abs(near - value)) < tolerance)


def _visible(html: str) -> str:
    """The file's text outside scripts and styles (what a reader sees)."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    return re.sub(r"<[^>]+>", " ", body)


def _assert_no_post(html: str, analysis: Analysis) -> None:
    posts = analysis.coverage.posts
    numbers = _numbers(html)
    assert not posts.empty
    for row in posts.to_dict("records"):
        point = row["geometry"]
        assert not (_written(numbers, point.x) and _written(numbers, point.y)), row["site_id"]
        assert str(row[Col.SITE_ID]) not in html
        assert str(row[Col.NAME]) not in html
    for ring in ("layer.rings", "layer.ring_zones", "legend.ring", "legend.coverage_surface"):
        assert t(ring, "id") not in html
    # (the runtime a map drawn by zoom inlines knows the reach surface; none is made)
    assert "posko-coverage" not in html.replace(grid_runtime(), "")
    assert "PoskoGrid.Surface(" not in html


def _hostile() -> Analysis:
    """Posts with markup in their names and unmistakable strength and radius; TPS and a
    classification line with markup too."""
    records = [
        site(
            f"SECRET-POST-{i}",
            "police_post",
            *offset(LON, LAT, 45 + 90 * i, 700 + 37 * i),
            name=f"Pos rahasia {i} {HOSTILE}",
            post_type=PostType.POS_PAM.value,
            personnel=SECRET_PERSONNEL,
            radius_m=SECRET_RADIUS_M,
        )
        for i in range(3)
    ]
    records += [
        site(
            f"tps-{i}",
            Kind.POLLING_STATION.value,
            *offset(LON, LAT, 30 * i, 400 + 50 * i),
            name=f"TPS {i} {HOSTILE}",
            tps_no=i + 1,
            kelurahan=f"Kel {HOSTILE}",
            risk=list(Risk)[i % 4].value,
        )
        for i in range(8)
    ]
    operation = make_operation(
        records,
        title=f"Ops {HOSTILE}",
        partner_classification=f"MITRA </style><script>alert(2)</script> {HOSTILE}",
    )
    return analyse(operation)


def test_the_sample_partner_briefing_holds_no_post_and_no_personnel(sample_operation) -> None:
    analysis = analyse(sample_operation)
    # with the logistics chain, as the app and `posko brief --for-partners` make it
    chain = partner_chain(analysis)
    html = partner_briefing_html(
        analysis, basemap="none", exported_at=WHEN, exported_by="Kabag Ops", chain=chain
    )
    assert t("partner.chain", "id") in html and "PPK Kecamatan Bukit Intan" in html
    assert chain["escort_polri"].isna().all() and chain["reached"].isna().all()
    _assert_no_post(html, analysis)
    # the scope line names what is left out; nothing else speaks of police or personnel
    visible = " ".join(_visible(html).replace(t("partner.scope", "id"), "").split()).lower()
    for word in ("polri", "personel", "linmas", "tni", "pos pam", "polsek"):
        assert word not in visible
    assert format_int(analysis.staffing.polri, "id") not in visible.split()
    # the main briefing of the same operation does carry them: the check can fail
    main = briefing_html(analysis, basemap="none", exported_at=WHEN, exported_by="Kabag Ops")
    assert any(str(p) in main for p in analysis.coverage.posts[Col.SITE_ID])


def test_the_partner_map_draws_the_logistics_legs_without_any_reach(sample_operation) -> None:
    """The partner map draws the chain (KPU warehouse → PPK → PPS → TPS) with its legend,
    but no leg is marked within or beyond a post's reach."""
    analysis = analyse(sample_operation)
    chain = partner_chain(analysis)
    html = partner_briefing_html(
        analysis, basemap="none", exported_at=WHEN, exported_by="Kabag Ops", chain=chain
    )
    assert "role: 'chain-leg'" in html
    reached = json.loads(re.search(r'"reached":(\[[^\]]*\])', html).group(1))
    assert len(reached) == len(chain) > 0  # every leg drawn
    assert set(reached) == {None}
    assert t("chain.level.ppk", "id") in html
    assert t("chain.legend.unreached", "id") not in html


def test_the_sample_partner_briefing_counts_every_tps_by_class_and_area(sample_operation) -> None:
    analysis = analyse(sample_operation)
    html = partner_briefing_html(analysis, exported_at=WHEN, exported_by="Kabag Ops")
    assert analysis.settings.partner_classification == PARTNER_CLASSIFICATION
    assert html.count(PARTNER_CLASSIFICATION) == 2  # top and bottom banners
    assert "Diekspor oleh Kabag Ops, 29-11-2026 15:00 WIB" in html
    tps = analysis.polling_stations
    risk, by_area = partner_sections(analysis, "id")[:2]
    (table,) = risk.parts
    counts = {r.value: int((tps[Col.RISK] == r).sum()) for r in Risk}
    assert [row[1] for row in table.rows] == [
        *(format_int(counts[r.value], "id") for r in Risk),
        format_int(len(tps), "id"),
    ]
    (areas,) = by_area.parts
    assert sum(int(row[-1].replace(".", "")) for row in areas.rows) == len(tps) == 311
    # every TPS is drawn on the map, by the site id it carries
    for site_id in tps[Col.SITE_ID].head(20):
        assert str(site_id) in html
    assert "cdn." not in html and "https://" not in html.split("<body", 1)[1].split("<script", 1)[0]


def test_a_hostile_operation_leaks_no_post_and_escapes_every_value() -> None:
    analysis = _hostile()
    html = partner_briefing_html(analysis, basemap="none", exported_at=WHEN, exported_by="Kabag")
    _assert_no_post(html, analysis)
    assert str(SECRET_PERSONNEL) not in html
    assert format_int(SECRET_PERSONNEL, "id") not in html
    assert not _written(_numbers(html), SECRET_RADIUS_M)
    assert "1789" not in html
    assert "rahasia" not in html.lower()
    assert "<img src=x" not in html
    assert "<script>alert(2)" not in html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html or "&lt;img" in html
    # the main briefing would show those posts
    main = briefing_html(analysis, basemap="none", exported_at=WHEN, exported_by="Kabag")
    assert "SECRET-POST-0" in main


@dataclass(frozen=True)
class _Phase:
    key: str
    name: str
    start: date
    end: date


def test_the_phase_table_lists_each_phase_with_its_days() -> None:
    phases = (
        _Phase("kampanye", "Kampanye <b>", date(2024, 9, 25), date(2024, 11, 23)),
        _Phase("pungut_hitung", "Pungut-hitung", date(2024, 11, 27), date(2024, 11, 27)),
    )
    section = phase_section(phases, "id")
    assert section is not None
    (table,) = section.parts
    assert table.rows == [
        ["Kampanye <b>", "25-09-2024", "23-11-2024"],
        ["Pungut-hitung", "27-11-2024", "27-11-2024"],
    ]
    assert phase_section((), "id") is None


def test_the_phases_of_the_settings_reach_the_briefing_escaped() -> None:
    analysis = _hostile()
    phases = (_Phase("kampanye", f"Kampanye {HOSTILE}", date(2024, 9, 25), date(2024, 11, 23)),)

    @dataclass(frozen=True)
    class _WithPhases:
        title: str
        partner_classification: str
        phases: tuple[_Phase, ...]

    settings = _WithPhases(analysis.settings.title, "MITRA", phases)
    shown = replace(analysis, settings=settings)  # type: ignore[arg-type]
    titles = [s.title for s in partner_sections(shown, "id")]
    assert t("partner.phases", "id") in titles
    html = partner_briefing_html(shown, basemap="none", exported_at=WHEN, exported_by="Kabag")
    assert "Kampanye &lt;img src=x" in html and "25-09-2024" in html
    assert "<img src=x" not in html
    assert t("partner.phases", "id") not in [s.title for s in partner_sections(analysis, "id")]


def test_the_chain_reads_only_its_columns_never_the_escort_strength() -> None:
    legs = pd.DataFrame(
        {
            "from_name": ["Gudang KPU Kota", "PPK Bukit Intan"],
            "to_name": ["PPK Bukit Intan", "PPS Sinar Bulan"],
            "phase": ["pungut_hitung", "pungut_hitung"],
            "escort_personnel": [SECRET_PERSONNEL, SECRET_PERSONNEL + 1],
        }
    )
    section = chain_section(legs, "en")
    assert section is not None
    (table,) = section.parts
    assert [row[:2] for row in table.rows] == [
        ["Gudang KPU Kota", "PPK Bukit Intan"],
        ["PPK Bukit Intan", "PPS Sinar Bulan"],
    ]
    assert all(str(SECRET_PERSONNEL) not in " ".join(row) for row in table.rows)
    assert len(table.headers) == 3
    with pytest.raises(ValueError, match="to_name"):
        chain_section(legs.drop(columns="to_name"), "en")
    many = pd.concat([legs] * 40, ignore_index=True)  # 80 legs: the first 60 listed
    table, more = chain_section(many, "id").parts
    assert len(table.rows) == PARTNER_CHAIN_ROWS == 60
    assert more.startswith("60 dari 80 ruas ditampilkan … dan 20 ruas lainnya")
    html = partner_briefing_html(
        _hostile(), basemap="none", exported_at=WHEN, exported_by="Kabag", chain=legs
    )
    assert "Gudang KPU Kota" in html and str(SECRET_PERSONNEL) not in html


def test_a_long_list_of_graver_tps_is_shortened_and_counted() -> None:
    records = [
        site(
            f"t{i}",
            Kind.POLLING_STATION.value,
            *offset(LON, LAT, i, 300 + i),
            tps_no=i + 1,
            kelurahan="Kel",
            risk=Risk.RAWAN.value,
        )
        for i in range(PARTNER_TPS_ROWS + 5)
    ]
    analysis = analyse(make_operation(records))
    listed = partner_sections(analysis, "en")[1]
    assert listed.title == t("partner.tps_list", "en")
    table, more = listed.parts
    assert len(table.rows) == PARTNER_TPS_ROWS
    assert more.startswith(f"{PARTNER_TPS_ROWS} of {PARTNER_TPS_ROWS + 5}")
    assert table.rows[0][3] == label("risk", Risk.RAWAN, "en")


# --- a large operation: the TPS drawn by zoom, as the briefing's large map -----------------

N_LARGE = 3000
_PAYLOAD = re.compile(r'PoskoGrid\.decode\("([A-Za-z0-9+/=]+)"\)')


def _payload_text(payload: dict) -> str:
    """A payload as JSON text (its arrays written out as lists: coordinates in degrees)."""
    return json.dumps(payload, ensure_ascii=False, default=lambda array: array.tolist())


def _unpacked(html: str) -> tuple[str, list[dict]]:
    """The file with every packed payload replaced by its JSON text, and the payloads."""
    payloads = [unpack(base64.b64decode(p)) for p in _PAYLOAD.findall(html)]
    return _PAYLOAD.sub(lambda m: _payload_text(unpack(base64.b64decode(m[1]))), html), payloads


@pytest.fixture(scope="module")
def large(sample_operation) -> Analysis:
    """A few thousand stacked TPS and 40 more posts, every post with the secret strength and
    radius."""
    operation = stacked_operation(sample_operation, N_LARGE, extra_posts=40)
    sites = operation.sites
    posts = sites[Col.KIND] == Kind.POLICE_POST
    sites.loc[posts, Col.PERSONNEL] = SECRET_PERSONNEL
    sites.loc[posts, Col.RADIUS_M] = SECRET_RADIUS_M
    return analyse(operation)


def test_a_large_partner_map_is_drawn_by_zoom_as_the_briefing_decides(large, monkeypatch) -> None:
    def drawn(**options) -> str:
        return partner_briefing_html(
            large, basemap="none", exported_at=WHEN, exported_by="Kabag Ops", **options
        )

    assert not should_aggregate(large) and "PoskoGrid.decode(" not in drawn()
    assert "PoskoGrid.decode(" in drawn(aggregate=True)
    monkeypatch.setattr(grid, "AGGREGATE_ABOVE", N_LARGE // 2)  # the briefing's own rule
    assert should_aggregate(large) and "PoskoGrid.decode(" in drawn()


def test_the_large_partner_map_holds_no_post_and_no_personnel(large) -> None:
    html = partner_briefing_html(
        large, basemap="none", exported_at=WHEN, exported_by="Kabag Ops", aggregate=True
    )
    text, payloads = _unpacked(html)
    (payload,) = payloads  # the TPS only: no post layer, no reach surface
    tps = large.polling_stations
    assert len(payload["lat"]) == len(tps) == N_LARGE
    assert len(large.coverage.posts) > 40
    _assert_no_post(text, large)
    for written in (str(SECRET_PERSONNEL), format_int(SECRET_PERSONNEL, "id")):
        # as a number of its own (coordinates hold every run of digits)
        assert not re.search(rf"(?<![\d.]){re.escape(written)}(?![\d.])", text), written
    assert not _written(_numbers(text), SECRET_RADIUS_M)
    # the cells count by risk class, never beyond reach (coverage is police data)
    config = json.loads(re.search(r"var cfg = (\{.*?\});\n", text)[1])
    assert config["riskCounts"] is True and config["uncovered"] is None
    assert t("partner.cell_risk", "id", risk="{risk}", n="{n}") == config["text"]["riskCount"]
    # the main briefing drawn by zoom does ship the posts: the check can fail
    main, _ = _unpacked(
        briefing_html(
            large, basemap="none", exported_at=WHEN, exported_by="Kabag Ops", aggregate=True
        )
    )
    assert any(str(p) in main for p in large.coverage.posts[Col.SITE_ID])


def _per_class_by_hand(lat, lon, rank, zoom: int) -> dict[tuple[int, int], list[int]]:
    """Per cell, its TPS per risk class, by plain per-site arithmetic."""
    out: dict[tuple[int, int], list[int]] = {}
    for la, lo, r in zip(np.round(lat, 6), np.round(lon, 6), rank, strict=True):
        x = (lo + 180) / 360 * 256
        s = math.sin(math.radians(la))
        y = (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * 256
        key = (math.floor(x * 2**zoom / CELL_PX), math.floor(y * 2**zoom / CELL_PX))
        out.setdefault(key, [0] * len(Risk))[r] += 1
    return out


@pytest.mark.parametrize("zoom", [6, 9, 11, 13])
def test_the_partner_cells_count_every_tps_by_class(large, zoom) -> None:
    tps = large.polling_stations
    rank = [list(Risk).index(Risk(r)) for r in tps[Col.RISK]]
    lat, lon = tps.geometry.y.to_numpy(), tps.geometry.x.to_numpy()
    cells = risk_cell_summary(lat, lon, zoom, rank)
    classes = [r.value for r in Risk]
    assert cells["count"].sum() == N_LARGE
    assert (cells[classes].sum(axis=1) == cells["count"]).all()
    for r in Risk:
        assert cells[r.value].sum() == int((tps[Col.RISK] == r).sum())
    got = {(c.cx, c.cy): [getattr(c, k) for k in classes] for c in cells.itertuples()}
    assert got == _per_class_by_hand(lat, lon, rank, zoom)
    worst = {(c.cx, c.cy): c.worst for c in cells.itertuples()}
    assert worst == {k: max(i for i, n in enumerate(v) if n) for k, v in got.items()}
