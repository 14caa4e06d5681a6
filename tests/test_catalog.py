"""The text catalog: every key in both languages, same placeholders, every used key exists."""

from __future__ import annotations

import ast
import re
import string
from datetime import date
from pathlib import Path

from geo.text import (
    LANGUAGES,
    catalog,
    format_coordinates,
    format_date,
    format_distance,
    format_int,
    format_number,
    format_share,
    format_share_change,
)

ROOT = Path(__file__).resolve().parent.parent


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_has_both_languages() -> None:
    missing = [
        (key, lang)
        for key, entry in catalog().items()
        for lang in LANGUAGES
        if not entry.get(lang, "").strip()
    ]
    assert missing == []
    extra = [key for key, entry in catalog().items() if set(entry) - set(LANGUAGES)]
    assert extra == []


def test_placeholders_match_across_languages() -> None:
    for key, entry in catalog().items():
        assert _fields(entry["id"]) == _fields(entry["en"]), key


def _used_keys() -> set[str]:
    keys = set()
    files = [
        ROOT / "app.py",
        ROOT / "cli.py",
        *ROOT.glob("layers/**/*.py"),
        *ROOT.glob("geo/**/*.py"),
    ]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "t"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                keys.add(node.args[0].value)
    return keys


def _key_like_strings() -> set[str]:
    pattern = re.compile(r"^(issue|fix|read|what|ref)\.[a-z_]*[a-z]$|^import\.fix_[a-z_]*[a-z]$")
    found = set()
    files = [
        ROOT / "app.py",
        ROOT / "cli.py",
        *ROOT.glob("layers/**/*.py"),
        *ROOT.glob("geo/**/*.py"),
    ]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and pattern.match(node.value)
            ):
                found.add(node.value)
    return found


def test_every_key_used_in_code_exists() -> None:
    used = _used_keys()
    assert used, "no t(...) calls found"
    assert sorted(used - set(catalog())) == []
    keys = _key_like_strings()
    assert "issue.crs_missing" in keys
    assert sorted(keys - set(catalog())) == []


def test_number_formats() -> None:
    assert format_int(164330, "id") == "164.330"
    assert format_int(164330, "en") == "164,330"
    assert format_share(0.8746, "id") == "87,5\u00a0%"
    assert format_share(0.8746, "en") == "87.5%"
    # a change of a share is in percentage points, never "↑ 7,7 %"
    assert format_share_change(0.0771, "id") == "+7,7\u00a0poin persen"
    assert format_share_change(-0.004, "en") == "-0.4 pp"
    # a position: decimal commas need another separator between the two numbers
    assert format_coordinates(-2.1462541, 106.163729, "id") == "-2,146254; 106,163729"
    assert format_coordinates(-2.1462541, 106.163729, "en") == "-2.146254, 106.163729"
    assert format_distance(820.4, "en") == "820 m"
    assert format_distance(1234, "id") == "1,2 km"
    assert format_distance(999.7, "id") == "1,0 km"  # not "1000 m"
    assert format_number(1234.56, "id", decimals=1, sign=True) == "+1.234,6"
    assert format_number(1234.56, "en", decimals=1, sign=True) == "+1,234.6"
    assert format_number(-0.04, "id", decimals=1, sign=True) == "0,0"  # no "-0,0" or "+0,0"
    assert format_number(-3, "id", sign=True) == "-3"
    assert format_number(7.5, "id", decimals=None) == "7,5"
    assert format_number(3.0, "en", decimals=None) == "3"


def test_dates_read_day_month_year() -> None:
    # every date a person reads: day first, as the app writes stored times too
    assert format_date(date(2024, 11, 26)) == "26-11-2024"
    assert format_date(date(2025, 1, 5)) == "05-01-2025"


def test_no_catalog_text_needs_an_emoji_font() -> None:
    # Debian without an emoji font draws a box for these: pictographs beyond the BMP and
    # the emoji presentation selector
    emoji = [
        (key, lang, char)
        for key, entry in catalog().items()
        for lang, text in entry.items()
        for char in text
        if ord(char) >= 0x1F000 or char == "\ufe0f"
    ]
    assert emoji == []
