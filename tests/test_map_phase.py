"""The map page's phase choice: which phase a session starts on."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from geo.model import Settings
from pages.phase_choice import ALL_PHASES, default_phase


def test_the_map_starts_on_the_phase_of_today(sample_operation) -> None:
    assert default_phase(sample_operation, date(2024, 11, 27)) == "pungut_hitung"
    assert default_phase(sample_operation, date(2024, 8, 14)) == "persiapan"
    assert default_phase(sample_operation, date(2024, 12, 31)) == "penetapan"
    assert default_phase(sample_operation, date(2025, 1, 1)) == ALL_PHASES


def test_an_operation_without_phases_starts_on_the_whole_operation(sample_operation) -> None:
    bare = replace(sample_operation, settings=Settings(title="x"))
    assert default_phase(bare, date(2024, 11, 27)) == ALL_PHASES
