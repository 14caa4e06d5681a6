"""The operation's timeline: phases read and checked, sites, posts and staffing per phase."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from geo.analysis import analyse, analyse_phase
from geo.errors import SettingsError, ValidationError
from geo.importer import ImportChoices, ImportContext, import_sites
from geo.model import Col, Kind, PostType, Settings, parse_settings
from geo.operation import SAMPLE_OPERATION, load_operation, save_sites
from geo.phases import (
    DEFAULT_PHASES,
    Phase,
    phase_on,
    read_phase_cell,
    resolve_phase,
    sites_in_phase,
)
from geo.plans import PlanContent, initial_content
from geo.schema import validate_sites
from geo.staffing import PRESETS, personnel, reserves_of, staffing_by_phase
from geo.text import localized, t
from tests.conftest import make_operation, site

BASE = {"operation": {"title": "Uji"}}
TIMELINE = [
    {"key": "persiapan", "start": date(2024, 8, 14), "end": date(2024, 9, 24)},
    {"key": "kampanye", "start": date(2024, 9, 25), "end": date(2024, 11, 23)},
    {"key": "pungut_hitung", "start": date(2024, 11, 26), "end": date(2024, 11, 28)},
    {"key": "rekapitulasi", "start": "2024-11-29", "end": "2024-12-16"},
]


def _settings(phases: list) -> Settings:
    return parse_settings({**BASE, "phases": phases})


def _messages(phases: list) -> str:
    with pytest.raises(SettingsError) as info:
        _settings(phases)
    return " | ".join(localized(p, "en") for p in info.value.problems)


# --- reading and checking the timeline -----------------------------------------------------


def test_phases_are_read_in_order_with_catalog_names() -> None:
    settings = _settings(TIMELINE)
    assert [p.key for p in settings.phases] == [
        "persiapan",
        "kampanye",
        "pungut_hitung",
        "rekapitulasi",
    ]
    voting = settings.phases[2]
    assert voting.name == t("phase.pungut_hitung", "id")
    assert voting.label("en") == "Voting and count"
    assert settings.phases[3].start == date(2024, 11, 29)  # text dates are read too
    assert voting.days == 3


def test_an_operation_without_phases_has_an_empty_timeline() -> None:
    assert parse_settings(BASE).phases == ()
    assert phase_on(parse_settings(BASE), date(2024, 11, 27)) is None


def test_the_sample_has_the_pilkada_2024_timeline() -> None:
    settings = load_operation(SAMPLE_OPERATION).settings
    assert [p.key for p in settings.phases] == list(DEFAULT_PHASES)
    assert phase_on(settings, date(2024, 11, 27)).key == "pungut_hitung"  # voting day
    assert phase_on(settings, date(2024, 10, 1)).key == "kampanye"
    assert phase_on(settings, date(2024, 12, 16)).key == "rekapitulasi"
    assert phase_on(settings, date(2025, 1, 2)) is None


def test_an_added_phase_needs_a_name_and_keeps_it() -> None:
    extra = {"key": "sengketa", "start": date(2024, 12, 17), "end": date(2024, 12, 31)}
    assert "not a default phase" in _messages([*TIMELINE, extra])
    named = _settings([*TIMELINE, {**extra, "name": "Sengketa <MK>"}])
    assert named.phases[-1].label("en") == named.phases[-1].label("id") == "Sengketa <MK>"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"start": date(2024, 11, 20)}, "starts on 2024-11-20, before phase 'kampanye' ends"),
        ({"start": date(2024, 9, 1)}, "starts before the phase before it, 'kampanye'"),
        ({"end": date(2024, 11, 25)}, "ends (2024-11-25) before it starts (2024-11-26)"),
        ({"end": "27 Nov 2024"}, "`phases[3].end` has '27 Nov 2024'; expected a date"),
        ({"end": None}, "`phases[3].end` has None"),
        ({"begin": date(2024, 11, 26)}, "Unknown key `phases[3].begin`"),
        ({"key": "Pungut Hitung"}, "phase key 'Pungut Hitung' must be lower-case"),
        ({"key": "kampanye"}, "Phase 'kampanye' is listed more than once"),
    ],
)
def test_a_broken_timeline_is_reported_in_the_catalogs_words(change: dict, expected: str) -> None:
    phases = [dict(p) for p in TIMELINE]
    phases[2] = {k: v for k, v in {**phases[2], **change}.items() if v is not None}
    assert expected in _messages(phases)


def test_phases_must_be_a_list_of_tables() -> None:
    assert "list of tables" in _messages({"key": "kampanye"})  # [phases], not [[phases]]
    assert "must be a table" in _messages(["kampanye"])


def test_default_phases_are_named_in_both_languages() -> None:
    for key in DEFAULT_PHASES:
        assert t(f"phase.{key}", "id") and t(f"phase.{key}", "en")


def test_resolve_phase_by_key_or_date() -> None:
    settings = _settings(TIMELINE)
    assert resolve_phase(settings) is None
    assert resolve_phase(settings, key="kampanye").start == date(2024, 9, 25)
    assert resolve_phase(settings, day="2024-11-27").key == "pungut_hitung"
    assert resolve_phase(settings, day=" 27-11-2024 ").key == "pungut_hitung"  # as the app writes
    with pytest.raises(ValidationError, match="No phase 'tenang'; the phases are: persiapan"):
        resolve_phase(settings, key="tenang")
    with pytest.raises(ValidationError, match=r"2024 is outside the operation's phases \(14-08"):
        resolve_phase(settings, day="2024-11-24")  # the gap between two phases
    with pytest.raises(ValidationError, match="write YYYY-MM-DD"):
        resolve_phase(settings, day="27/11/2024")
    with pytest.raises(ValidationError, match="has no phases"):
        resolve_phase(parse_settings(BASE), key="kampanye")


# --- sites of a phase ----------------------------------------------------------------------


def test_sites_in_phase_keep_the_unlimited_and_the_listed() -> None:
    sites = pd.DataFrame(
        {
            Col.SITE_ID: ["all", "rally", "vote", "both", "blank"],
            Col.PHASES: [None, "kampanye", "pungut_hitung", "kampanye;pungut_hitung", ""],
        },
        index=[10, 11, 12, 13, 14],
    )
    before = sites.copy()
    assert list(sites_in_phase(sites, "kampanye")[Col.SITE_ID]) == ["all", "rally", "both", "blank"]
    voting = sites_in_phase(sites, "pungut_hitung")
    assert list(voting[Col.SITE_ID]) == ["all", "vote", "both", "blank"]
    assert list(voting.index) == [10, 12, 13, 14]  # aligned with the input
    assert list(sites_in_phase(sites, None)[Col.SITE_ID]) == list(sites[Col.SITE_ID])
    pd.testing.assert_frame_equal(sites, before)  # the input is left as it was


@pytest.mark.parametrize(
    ("cell", "keys", "unknown"),
    [
        ("kampanye", "kampanye", ()),
        ("Kampanye; Pungut-Hitung", "kampanye;pungut_hitung", ()),
        ("kampanye,kampanye", "kampanye", ()),
        ("kampanye;pilpres", "kampanye", ("pilpres",)),
        (" ; ", None, ()),
    ],
)
def test_an_imported_phases_cell(cell: str, keys: str | None, unknown: tuple) -> None:
    assert read_phase_cell(cell, DEFAULT_PHASES) == (keys, unknown)


def test_the_importer_reads_phases_and_rejects_an_unknown_one(tmp_path: Path) -> None:
    operation = load_operation(SAMPLE_OPERATION)
    path = tmp_path / "pos.csv"
    path.write_text(
        "nama,jenis_pos,lintang,bujur,tahap\n"
        "Pos Kampanye,pos pam,-2.13,106.12,Kampanye\n"
        "Pos Hari H,pos pam,-2.131,106.121,pungut_hitung; rekapitulasi\n"
        "Pos Pilpres,pos pam,-2.132,106.122,pilpres\n"
        "Pos Tetap,pos pam,-2.133,106.123,\n",
        encoding="utf-8",
    )
    report = import_sites(
        path, ImportChoices(kind=Kind.POLICE_POST), ImportContext.for_operation(operation)
    )
    accepted = report.accepted.set_index(Col.NAME)[Col.PHASES]
    assert accepted.dropna().to_dict() == {
        "Pos Kampanye": "kampanye",
        "Pos Hari H": "pungut_hitung;rekapitulasi",
    }
    assert pd.isna(accepted["Pos Tetap"])  # no phase named: every phase
    assert list(report.rejected["row"]) == [3]
    issue = next(i for i in report.issues if i.code == "unknown_phase")
    assert issue.row == 3 and issue.column == "tahap"
    assert "'pilpres', which is not a phase of this operation" in issue.message("en")


def test_an_operation_with_its_own_phases_checks_against_them(tmp_path: Path) -> None:
    path = tmp_path / "tps.csv"
    path.write_text("nama;lintang;bujur;fase\nTPS 1;-2.13;106.12;penetapan\n", encoding="utf-8")
    context = ImportContext(phases=("kampanye", "pungut_hitung"))
    report = import_sites(path, ImportChoices(kind=Kind.POLLING_STATION), context)
    assert report.accepted.empty
    assert "(kampanye, pungut_hitung)" in report.issues[-1].message("en")


def test_phases_and_units_survive_the_store(op_folder: Path) -> None:
    operation = load_operation(op_folder)
    sites = operation.list_sites.copy()
    first = sites.index[sites[Col.KIND] == Kind.POLLING_STATION][0]
    sites.loc[first, Col.PHASES] = "pungut_hitung"
    save_sites(operation, sites, confirmed=True)
    saved = load_operation(op_folder).list_sites.set_index(Col.SITE_ID)
    assert saved.loc[sites.loc[first, Col.SITE_ID], Col.PHASES] == "pungut_hitung"
    reserve = saved.loc["POST-MAKO-DALMAS"]
    assert (reserve[Col.POST_TYPE], reserve[Col.UNIT]) == ("reserve", "dalmas")
    assert reserve[Col.PHASES] == "pungut_hitung;rekapitulasi;penetapan"


def test_a_reserve_unit_must_be_a_known_one() -> None:
    with pytest.raises(ValidationError, match="Column `unit` has 'marinir' in site 'R'"):
        make_operation([site("R", "police_post", 106.1, -2.1, post_type="reserve", unit="marinir")])
    sites = make_operation([site("R", "police_post", 106.1, -2.1, post_type="reserve")]).sites
    assert validate_sites(sites) is sites  # a reserve may leave its unit open


# --- staffing per phase, by hand ----------------------------------------------------------


# Three kurang rawan TPS (one group of 2 Polri under typical_2024; Linmas 2 per TPS) and one
# rawan TPS (one group of 2 Polri, 2 Linmas); one PPK warehouse (5 Polri + 5 TNI); a polsek
# of 18 in every phase, a pos pam of 6 in the campaign, a patrol of 8 from the vote to the
# recapitulation, and a reserve of 30 on the vote only.
def _small_operation(**settings):
    lon, lat = 106.11, -2.12
    return make_operation(
        [
            site("T1", "polling_station", lon, lat, risk="kurang_rawan"),
            site("T2", "polling_station", lon + 0.001, lat, risk="kurang_rawan"),
            site("T3", "polling_station", lon + 0.002, lat, risk="kurang_rawan"),
            site("T4", "polling_station", lon + 0.003, lat, risk="rawan"),
            site("PPK", "logistics", lon, lat + 0.01, role="ppk"),
            site("S", "police_post", lon, lat, post_type="polsek", personnel=18),
            site("P", "police_post", lon, lat, post_type="pos_pam", personnel=6, phases="kampanye"),
            site(
                "B",
                "police_post",
                lon,
                lat,
                post_type="patrol",
                personnel=8,
                phases="pungut_hitung;rekapitulasi",
            ),
            site(
                "R",
                "police_post",
                lon,
                lat,
                post_type="reserve",
                personnel=30,
                unit="dalmas",
                phases="pungut_hitung",
            ),
        ],
        **settings,
    )


# the posts' officers also guard the TPS and warehouse of their area (as the headline's
# shortfall counts them): static = posts + what the area still lacks (here nothing)
EXPECTED = {  # phase: (tps, warehouse, posts, short, static, reserves, total, linmas, tni)
    "persiapan": (0, 0, 18, 0, 18, 0, 18, 0, 0),
    "kampanye": (0, 0, 24, 0, 24, 0, 24, 0, 0),
    "pungut_hitung": (4, 0, 26, 0, 26, 30, 56, 8, 0),
    "rekapitulasi": (0, 5, 26, 0, 26, 0, 26, 0, 5),
}


def _figures(table) -> dict[str, tuple[int, ...]]:
    return {
        p.phase.key: (
            p.tps_polri,
            p.warehouse_polri,
            p.post_polri,
            p.shortfall_polri,
            p.static_polri,
            p.reserve_polri,
            p.polri,
            p.linmas,
            p.tni,
        )
        for p in table.phases
    }


def test_staffing_per_phase_by_hand() -> None:
    op = _small_operation(phases=_settings(TIMELINE).phases)
    table = staffing_by_phase(op.sites, phases=op.settings.phases, preset=PRESETS["typical_2024"])
    assert _figures(table) == EXPECTED
    assert table.peak.phase.key == "pungut_hitung"
    frame = table.table()
    assert list(frame["phase"]) == list(EXPECTED)
    assert list(frame["polri"]) == [e[6] for e in EXPECTED.values()]


def test_a_phase_whose_posts_fall_short_counts_the_guards_they_lack() -> None:
    """One officer at the only post: the vote needs 4 TPS guards (3 more than the post
    holds), the recapitulation 5 warehouse guards (4 more); static = the need then."""
    op = _small_operation(phases=_settings(TIMELINE).phases)
    sites = op.sites[~op.sites[Col.SITE_ID].isin(["P", "B", "R"])].copy()
    sites.loc[sites[Col.SITE_ID] == "S", Col.PERSONNEL] = 1
    table = staffing_by_phase(sites, phases=op.settings.phases, preset=PRESETS["typical_2024"])
    figures = _figures(table)
    assert figures["pungut_hitung"] == (4, 0, 1, 3, 4, 0, 4, 8, 0)
    assert figures["rekapitulasi"] == (0, 5, 1, 4, 5, 0, 5, 0, 5)
    assert figures["persiapan"] == (0, 0, 1, 0, 1, 0, 1, 0, 0)


def test_the_peak_is_the_first_of_equal_phases() -> None:
    phases = _settings(TIMELINE[:2]).phases  # persiapan and kampanye
    sites = _small_operation().sites
    sites = sites[sites[Col.SITE_ID] != "P"]  # both phases: the polsek only
    table = staffing_by_phase(sites, phases=phases, preset=PRESETS["typical_2024"])
    assert [p.polri for p in table.phases] == [18, 18]
    assert table.peak.phase.key == "persiapan"
    assert staffing_by_phase(sites, phases=(), preset=PRESETS["typical_2024"]).peak is None


def test_reserves_are_counted_apart_from_static_guards() -> None:
    op = _small_operation()
    analysis = analyse(op)
    assert analysis.staffing.total("available") == 18 + 6 + 8  # not the reserve's 30
    posts = op.sites[op.sites[Col.KIND] == Kind.POLICE_POST]
    assert personnel(posts) == 32
    reserves = reserves_of(op.sites, settings=op.settings)
    assert [(u.site_id, u.unit, u.strength) for u in reserves.units] == [("R", "dalmas", 30)]
    assert (reserves.units[0].lon, reserves.units[0].lat) == (106.11, -2.12)
    assert reserves.units[0].reach_m == op.settings.radius_m[PostType.RESERVE] == 5000.0
    assert reserves.strength == 30


def test_a_phase_analysis_shows_the_phases_sites_and_guards() -> None:
    op = _small_operation(phases=_settings(TIMELINE).phases)
    whole = analyse(op)
    campaign = analyse_phase(whole, "kampanye")
    assert set(campaign.coverage.posts[Col.SITE_ID]) == {"S", "P"}
    assert campaign.staffing.polri == 0  # no TPS guard and no warehouse in the campaign
    assert campaign.staffing.total("available") == 24
    voting = analyse_phase(whole, "pungut_hitung")
    assert set(voting.coverage.posts[Col.SITE_ID]) == {"S", "B", "R"}
    assert voting.staffing.polri == 4 and voting.staffing.linmas == 8
    recap = analyse_phase(whole, "rekapitulasi")
    assert (recap.staffing.polri, recap.staffing.tni) == (5, 5)
    assert analyse_phase(whole, None) is whole
    assert whole.staffing.polri == 4 + 5  # the whole operation: as before phases existed


def test_the_sample_by_phase_keeps_its_whole_figures(sample_analysis) -> None:
    whole = sample_analysis
    assert whole.by_kind()["polling_station"].total == 311
    assert whole.staffing.polri == 145
    campaign = analyse_phase(whole, "kampanye")
    demo = set(campaign.demonstration_points[Col.SITE_ID])
    assert "DEMO-ALUN-ALUN" in demo
    assert "POST-MAKO-DALMAS" not in set(campaign.coverage.posts[Col.SITE_ID])
    voting = analyse_phase(whole, "pungut_hitung")
    assert "DEMO-ALUN-ALUN" not in set(voting.demonstration_points[Col.SITE_ID])
    assert voting.by_kind()["polling_station"].total == 311
    recap = analyse_phase(whole, "rekapitulasi")
    # TPS guards on voting day and warehouse guards in the recapitulation make the 145
    assert voting.staffing.polri + recap.staffing.polri == 145
    table = staffing_by_phase(
        whole.operation.sites,
        phases=whole.settings.phases,
        preset=whole.staffing.preset,
        area=whole.site_areas[whole.area_level],
    )
    by_key = {p.phase.key: p for p in table.phases}
    static_posts = by_key["persiapan"].post_polri
    assert static_posts == whole.staffing.total("available")
    # the officers the vote's areas lack beyond their posts: the headline's shortfall
    voting_short = voting.staffing.total("shortfall")
    assert by_key["pungut_hitung"].shortfall_polri == voting_short
    assert by_key["pungut_hitung"].polri == static_posts + voting_short + 30
    assert table.peak.phase.key == "pungut_hitung"


def test_settings_phases_are_validated_when_built_directly() -> None:
    a = Phase("kampanye", "Kampanye", date(2024, 9, 25), date(2024, 11, 23))
    b = replace(a, key="masa_tenang", start=date(2024, 11, 20), end=date(2024, 11, 26))
    with pytest.raises(SettingsError, match="must not overlap"):
        Settings(title="x", phases=(a, b))


def test_the_sample_toml_lists_its_phases_in_its_own_section() -> None:
    data = tomllib.loads((SAMPLE_OPERATION / "operation.toml").read_text(encoding="utf-8"))
    assert [p["key"] for p in data["phases"]] == list(DEFAULT_PHASES)


def test_a_plan_keeps_its_posts_phases_and_loads_without_a_reserve_reach(
    sample_operation,
) -> None:
    data = initial_content(sample_operation).to_dict()
    again = PlanContent.from_dict(data).posts.set_index(Col.SITE_ID)
    assert again.loc["POST-MAKO-DALMAS", Col.PHASES] == "pungut_hitung;rekapitulasi;penetapan"
    assert again.loc["POST-MAKO-DALMAS", Col.UNIT] == "dalmas"
    del data["radius_m"]["reserve"]  # a plan saved before reserve posts existed
    assert PlanContent.from_dict(data).radius_m[PostType.RESERVE] == 5000.0
