"""The briefing's phase section and head line: the timeline, staffing per phase, reserves."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from geo.analysis import analyse, analyse_phase
from geo.model import parse_settings
from geo.phases import Phase
from geo.staffing import reserves_of
from layers.brief_phases import phase_line, phase_reserves, phase_section, reserves_table
from layers.export import all_phases_note, briefing_html
from tests.conftest import make_operation, site

WHEN = datetime(2024, 11, 27, 7, 0, tzinfo=UTC)
HOSTILE = "<script>alert(1)</script>"


def _operation(phases: tuple[Phase, ...] = (), reserve: bool = True):
    lon, lat = 106.11, -2.12
    records = [
        site("T1", "polling_station", lon, lat, risk="kurang_rawan"),
        site("S", "police_post", lon, lat, post_type="polsek", personnel=18),
    ]
    if reserve:
        records.append(
            site(
                "R",
                "police_post",
                lon,
                lat,
                name=f"Dalmas {HOSTILE}",
                post_type="reserve",
                personnel=30,
                unit="brimob",
                radius_m=7000,
            )
        )
    return make_operation(records, phases=phases)


PHASES = parse_settings(
    {
        "operation": {"title": "x"},
        "phases": [
            {"key": "kampanye", "start": date(2024, 9, 25), "end": date(2024, 11, 23)},
            {
                "key": "hari_h",
                "name": f"Hari H {HOSTILE}",
                "start": date(2024, 11, 26),
                "end": date(2024, 11, 28),
            },
        ],
    }
).phases


def test_phase_line_names_the_phase_or_the_whole_operation() -> None:
    assert phase_line(None, "id") == "Seluruh operasi (semua tahapan)"
    assert phase_line(PHASES[0], "id") == "Tahapan: Kampanye (25-09-2024 s.d. 23-11-2024)"


def test_the_section_has_the_staffing_per_phase_and_the_reserves() -> None:
    section = phase_section(analyse(_operation(PHASES)), PHASES[0], "en")
    assert section["title"] == "Staffing per phase"
    texts = [p for p in section["parts"] if isinstance(p, str)]
    tables = [p for p in section["parts"] if isinstance(p, dict)]
    assert texts[0] == "Phase: Campaign (25-09-2024 to 23-11-2024)"
    # no phase has TPS guards here (no pungut_hitung): the polsek and the reserve, each phase
    assert [row[-3] for row in tables[0]["rows"]] == ["48", "48"]
    # the first of equal phases, its officers split as the page shows them: 18 at the
    # polsek (no TPS or warehouse guard needed, none lacking), the reserve's 30
    assert texts[1] == (
        "Peak: Campaign (25-09-2024 to 23-11-2024), 48 police: 18 at posts (who also cover "
        "the 0 TPS and PPK warehouse guards their areas need), 0 more for the areas whose "
        "posts fall short, 30 in reserve."
    )
    assert "Reserves: 1 unit(s), 30 personnel" in texts[3]
    assert tables[1]["rows"] == [[f"Dalmas {HOSTILE}", "Brimob (mobile brigade)", "30", "7.0 km"]]


def test_no_section_without_phases_or_reserves() -> None:
    assert phase_section(analyse(_operation(reserve=False)), None, "en") is None
    only_reserves = phase_section(analyse(_operation()), None, "en")
    assert only_reserves["title"] == "Reserves"


def test_the_briefing_escapes_the_phase_and_reserve_names() -> None:
    analysis = analyse(_operation(PHASES))
    html = briefing_html(analysis, lang="en", exported_at=WHEN, exported_by="x", phase=PHASES[1])
    assert HOSTILE not in html
    assert "Phase: Hari H &lt;script&gt;alert(1)&lt;/script&gt; (26-11-2024 to 28-11-2024)" in html
    assert "Dalmas &lt;script&gt;" in html
    assert "Staffing per phase" in html


def test_the_reserves_table_in_indonesian() -> None:
    op = _operation()
    table = reserves_table(reserves_of(op.sites, settings=op.settings), "id")
    assert list(table.columns) == ["Pangkalan", "Satuan", "Kekuatan", "Jangkauan respons"]
    assert table.iloc[0].tolist() == [f"Dalmas {HOSTILE}", "Brimob", 30, "7,0 km"]


def test_a_phase_lists_only_the_reserves_standing_by_in_it() -> None:
    """A reserve limited to the vote (hari_h) is listed in that phase and in the whole
    operation, not in the campaign, where the section says none stands by."""
    operation = _operation(PHASES)
    sites = operation.sites.copy()
    sites.loc[sites["site_id"] == "R", "phases"] = "hari_h"
    analysis = analyse(replace(operation, sites=sites))
    assert phase_reserves(analysis, "kampanye").units == ()
    assert [u.name for u in phase_reserves(analysis, "hari_h").units] == [f"Dalmas {HOSTILE}"]
    assert len(phase_reserves(analysis, None).units) == 1
    campaign = [p for p in phase_section(analysis, PHASES[0], "en")["parts"] if isinstance(p, str)]
    assert "No reserve unit stands by in the Campaign phase." in campaign
    assert not any(p.startswith("Reserves:") for p in campaign)
    vote = [p for p in phase_section(analysis, PHASES[1], "en")["parts"] if isinstance(p, str)]
    assert any(p.startswith("Reserves: 1 unit(s), 30 personnel") for p in vote)


def test_the_whole_operation_says_its_need_adds_up_the_phases_guards(sample_analysis) -> None:
    """The sample's whole operation needs TPS guards (voting) and PPK warehouse guards
    (recapitulation): its figures say they are added up as if at once; one phase's do not."""
    assert sample_analysis.staffing.tps_polri and sample_analysis.staffing.total("warehouses")
    note = all_phases_note(sample_analysis, "id")
    assert note is not None and note.startswith("Seluruh operasi: penjaga TPS")
    assert all_phases_note(analyse_phase(sample_analysis, "pungut_hitung"), "id") is None
    html = briefing_html(sample_analysis, lang="en", exported_at=WHEN, exported_by="x")
    assert "are added up as if on duty at once" in html
    vote = analyse_phase(sample_analysis, "pungut_hitung")
    html = briefing_html(vote, lang="en", exported_at=WHEN, exported_by="x")
    assert "are added up as if on duty at once" not in html
