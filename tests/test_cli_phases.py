"""`posko brief --phase/--date`: the briefing of one phase of the operation's timeline."""

from __future__ import annotations

import re
from pathlib import Path

from cli import main


def _brief(tmp_path: Path, *flags: str) -> str:
    out = tmp_path / "brief.html"
    assert main(["brief", "-o", str(out), "--lang", "en", *flags]) == 0
    return out.read_text(encoding="utf-8")


def _head(html: str) -> str:
    return re.search(r'<div class="brief-head">.*?<section class="brief-summary">', html, re.S)[0]


def test_brief_for_a_phase_names_it_and_its_dates(tmp_path: Path) -> None:
    head = _head(_brief(tmp_path, "--phase", "kampanye"))
    assert '<div class="brief-phase">Phase: Campaign (25-09-2024 to 23-11-2024)</div>' in head


def test_brief_for_a_date_is_the_brief_of_its_phase(tmp_path: Path) -> None:
    by_date = _brief(tmp_path, "--date", "2024-11-27")
    assert "Phase: Voting and count (26-11-2024 to 28-11-2024)" in _head(by_date)
    # the staffing per phase names the peak: the vote and count
    assert "Peak: Voting and count (26-11-2024 to 28-11-2024)" in by_date


def test_brief_date_may_be_written_as_the_app_writes_dates(tmp_path: Path) -> None:
    # DD-MM-YYYY (the app's own order) names the same day as YYYY-MM-DD
    by_iso = _head(_brief(tmp_path, "--date", "2024-11-27"))
    by_app = _head(_brief(tmp_path, "--date", "27-11-2024"))
    assert "Phase: Voting and count (26-11-2024 to 28-11-2024)" in by_app
    assert by_app.split('class="brief-phase">')[1] == by_iso.split('class="brief-phase">')[1]


def test_brief_of_a_phase_shows_its_sites_only(tmp_path: Path) -> None:
    campaign = _brief(tmp_path, "--phase", "kampanye")
    voting = _brief(tmp_path, "--phase", "pungut_hitung")
    whole = _brief(tmp_path)
    # the rally square is a demonstration point of the campaign only
    assert '"DEMO-ALUN-ALUN"' in campaign and '"DEMO-ALUN-ALUN"' in whole
    assert '"DEMO-ALUN-ALUN"' not in voting
    assert '"DEMO-GUBERNUR"' in voting  # the other demonstration points stay
    assert "Whole operation (all phases)" in _head(whole)


def test_brief_phase_errors(tmp_path: Path, capsys) -> None:
    out = str(tmp_path / "b.html")
    assert main(["brief", "-o", out, "--lang", "en", "--phase", "pilpres"]) == 2
    assert "No phase 'pilpres'; the phases are: persiapan" in capsys.readouterr().err
    assert main(["brief", "-o", out, "--lang", "en", "--date", "2025-03-01"]) == 2
    assert "outside the operation's phases (14-08-2024 to 31-12-2024)" in capsys.readouterr().err
    for unclear in ("1/3/2025", "2024-27-11", "31-02-2024", "27-11-24"):
        assert main(["brief", "-o", out, "--lang", "en", "--date", unclear]) == 2
        assert f"Date {unclear!r} is not understood; write YYYY-MM-DD or DD-MM-YYYY" in (
            capsys.readouterr().err
        )
    both = ["brief", "-o", out, "--phase", "kampanye", "--compare", "A", "B"]
    assert main(both) == 2
    assert not Path(out).exists()
