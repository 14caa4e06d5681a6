"""What depends on the kind of site: warnings only where they apply, and post types asked
for or rejected, never guessed."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.importer import ImportChoices, ImportReport, Severity, import_sites
from geo.importer.report import KIND_CODES
from geo.model import Kind, PostType

# Two rows at one place, a third elsewhere; no risk column, no post-type column.
_ROWS = [
    ("Gedung A", -2.1378, 106.1416),
    ("Gedung B", -2.1378, 106.1416),
    ("Gedung C", -2.1400, 106.1500),
]


def _write(path: Path, rows: list[tuple], columns: tuple[str, ...] = ("nama", "lat", "lon")):
    lines = [";".join(columns)] + [";".join(str(v) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _codes(report: ImportReport) -> set[str]:
    return {i.code for i in report.issues}


@pytest.fixture
def plain_list(tmp_path: Path) -> Path:
    return _write(tmp_path / "lokasi.csv", _ROWS)


@pytest.mark.parametrize("kind", list(Kind))
@pytest.mark.parametrize("code", sorted(KIND_CODES))
def test_kind_specific_codes_only_for_their_kinds(plain_list: Path, kind: Kind, code: str) -> None:
    choices = {"kind": kind}
    if code == "unknown_post_type":
        choices["mapping"] = {"post_type": "nama"}  # names that are no post type
    elif code in ("unknown_risk",):
        choices["mapping"] = {"risk": "nama"}  # names that are no risk class
    report = import_sites(plain_list, ImportChoices(**choices))
    # the codes this file can raise at all, when the kind is one they apply to
    raised_here = {
        "risk_missing",
        "missing_post_type",
        "same_coordinates",
        "unknown_post_type",
        "unknown_risk",
    }
    if code not in raised_here:
        assert code not in _codes(report)  # needs indicators, a risk column or a name
        return
    if kind in KIND_CODES[code]:
        assert code in _codes(report), (code, kind)
    else:
        assert code not in _codes(report), (code, kind)


def test_two_posts_at_one_place_get_the_neutral_note(plain_list: Path) -> None:
    report = import_sites(
        plain_list, ImportChoices(kind=Kind.POLICE_POST, post_types={"": PostType.POS_PAM})
    )
    note = next(i for i in report.issues if i.code == "same_place")
    assert note.row == 2 and note.severity == Severity.INFO
    assert "TPS" not in note.message("en") and "school" not in note.message("en")
    tps = import_sites(plain_list, ImportChoices(kind=Kind.POLLING_STATION))
    assert "school" in next(i for i in tps.issues if i.code == "same_coordinates").message("en")


def test_risk_missing_only_for_tps(plain_list: Path) -> None:
    for kind in Kind:
        report = import_sites(plain_list, ImportChoices(kind=kind, post_types={"": "polsek"}))
        assert ("risk_missing" in _codes(report)) == (kind == Kind.POLLING_STATION), kind


# --- post types ---------------------------------------------------------------------------


@pytest.fixture
def posts(tmp_path: Path) -> Path:
    rows = [
        ("Polsek Bukit Intan", "", -2.1378, 106.1416),  # the name says it
        ("Pos Lantas Simpang", "Pos Lantas", -2.1390, 106.1420),  # unknown value
        ("Pos Lantas Pasar", "pos lantas", -2.1395, 106.1430),  # the same value
        ("Titik Jaga", "", -2.1400, 106.1500),  # nothing says it
        ("Mako Polres", "Polres", -2.1410, 106.1510),  # a known label
    ]
    return _write(tmp_path / "pos.csv", rows, ("nama", "jenis_pos", "lat", "lon"))


def test_unknown_post_types_are_rejected_not_guessed(posts: Path) -> None:
    report = import_sites(posts, ImportChoices(kind=Kind.POLICE_POST))
    assert report.accepted["name"].tolist() == ["Polsek Bukit Intan", "Mako Polres"]
    assert report.accepted["post_type"].tolist() == ["polsek", "mako"]
    reasons = dict(zip(report.rejected["row"], report.rejected["reasons"], strict=True))
    assert set(reasons) == {2, 3, 4}
    assert "[unknown_post_type]" in reasons[2] and "'Pos Lantas'" in reasons[2]
    assert "[missing_post_type]" in reasons[4] and "rejected" in reasons[4]
    # each distinct value is asked about once, an empty cell as ""
    assert report.post_type_values == ("Pos Lantas", "pos lantas", "")
    from_name = next(i for i in report.issues if i.code == "post_type_from_name")
    assert from_name.row == 1 and from_name.severity == Severity.INFO
    assert from_name.message("en").endswith("taken from the name: Police sector (Polsek).")


def test_the_planner_maps_each_value(posts: Path) -> None:
    choices = ImportChoices(
        kind=Kind.POLICE_POST, post_types={"Pos Lantas": "pos_pam", "": PostType.PATROL}
    )
    report = import_sites(posts, choices)
    assert report.counts == {"rows_read": 5, "accepted": 5, "rejected": 0}
    assert report.accepted["post_type"].tolist() == [
        "polsek",  # the name still decides where it is clear
        "pos_pam",
        "pos_pam",  # "pos lantas" is the same value, written otherwise
        "patrol",
        "mako",
    ]
    assert choices.post_types == (("", PostType.PATROL), ("pos lantas", PostType.POS_PAM))
    assert choices == ImportChoices(
        kind=Kind.POLICE_POST, post_types={"POS  LANTAS": "pos_pam", "": "patrol"}
    )  # hashable and normalised: one cache entry


def test_a_bad_post_type_choice_is_refused() -> None:
    with pytest.raises(ValueError, match="police_box"):
        ImportChoices(post_types={"x": "police_box"})
