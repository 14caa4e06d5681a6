"""Numbers in cells: coordinates as planners write them, counts, "lat, lon" pairs, text."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

__all__ = [
    "SignConflictError",
    "cell_text",
    "fast_numbers",
    "pair",
    "parse_count",
    "parse_number",
]

_THOUSANDS = re.compile(r"^[+-]?\d{1,3}([.,]\d{3})+$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_NUMBER = r"\d+(?:[.,]\d+)?"
# Lintang Selatan/Utara, Bujur Timur/Barat, and one letter in either language
_HEMI = r"LS|LU|BT|BB|[NSEWUTB]"
_COORDINATE = re.compile(
    rf"""^(?P<pre>{_HEMI})?\s*
    (?P<sign>[+-])?\s*
    (?P<deg>{_NUMBER})(?:\s*°)?
    (?:(?:(?<=°)\s*|\s+)(?P<min>{_NUMBER})(?:\s*')?
        (?:(?:(?<=')\s*|\s+)(?P<sec>{_NUMBER})(?:\s*")?)?
    )?
    \s*(?P<post>{_HEMI})?$""",
    re.IGNORECASE | re.VERBOSE,
)
_SOUTH_OR_WEST = {"LS", "BB", "S", "W", "B"}
_LATITUDE = {"", "LS", "LU", "S", "N", "U"}
_LONGITUDE = {"", "BT", "BB", "E", "W", "T", "B"}
_MARKS = str.maketrans(
    {
        "\u2212": "-",  # minus sign
        "\u00ba": "°",  # masculine ordinal, often typed for a degree
        "\u02da": "°",  # ring above
        "\u2032": "'",  # prime
        "\u2019": "'",
        "\u2018": "'",
        "\u00b4": "'",
        "\u2033": '"',  # double prime
        "\u201d": '"',
        "\u201c": '"',
    }
)
_PAIR_SEPARATOR = re.compile(r"\s*[;,]\s*|\s+")


class SignConflictError(ValueError):
    """A coordinate whose sign says one hemisphere and whose letters say the other."""

    def __init__(self, value: str) -> None:
        super().__init__(value)
        self.value = value


def parse_number(value: object) -> float | None:
    """A coordinate as a float; None for blanks. Raises ValueError for text.

    Accepts a decimal comma ("-2,1234"), a hemisphere before or after the number ("2.1 S",
    "106.1 E", Indonesian "2,1370 LS", "BT 106,1420", one-letter U/S/T/B too), degrees with
    minutes and seconds ("2°07'13\\" LS", "2 07 13 S", "2°07.5' S") and surrounding spaces.

    Raises
    ------
    SignConflictError
        When a sign contradicts the hemisphere ("-2.1 LU").
    ValueError
        When the text is no coordinate.
    """
    return _parse(value)[0]


def _parse(value: object) -> tuple[float | None, str]:
    """The coordinate (None for blanks) and its hemisphere letters ("" when none)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None, ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value), ""
    text = str(value).strip().translate(_MARKS).replace("''", '"')
    if not text:
        return None, ""
    match = _COORDINATE.match(text)
    if match:
        return _coordinate(match, text), (match.group("pre") or match.group("post") or "").upper()
    if _DECIMAL_COMMA.match(text):
        text = text.replace(",", ".")
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(text)
    return number, ""


def _coordinate(match: re.Match[str], text: str) -> float:
    """Degrees from a matched coordinate (decimal, or degrees-minutes-seconds)."""
    deg, minutes, seconds = (
        match.group(g).replace(",", ".") if match.group(g) else None for g in ("deg", "min", "sec")
    )
    assert deg is not None
    # only the last part may have decimals, and minutes and seconds stay below 60
    if (minutes is not None and "." in deg) or (seconds is not None and "." in (minutes or "")):
        raise ValueError(text)
    parts = [float(deg), float(minutes or 0), float(seconds or 0)]
    if parts[1] >= 60 or parts[2] >= 60:
        raise ValueError(text)
    number = parts[0] + parts[1] / 60 + parts[2] / 3600
    pre, post = match.group("pre"), match.group("post")
    if pre and post:
        raise ValueError(text)
    hemisphere = (pre or post or "").upper()
    sign = match.group("sign")
    if not hemisphere:
        return -number if sign == "-" else number
    south_or_west = hemisphere in _SOUTH_OR_WEST
    if sign and (sign == "-") != south_or_west:
        raise SignConflictError(text)
    return -number if south_or_west else number


def parse_count(value: str | None) -> int | None:
    """A whole number ("1.234" and "1,234" are thousands); None for blanks."""
    if value is None:
        return None
    text = value.strip()
    if _THOUSANDS.match(text):
        text = re.sub(r"[.,]", "", text)
    number = float(text.replace(",", "."))
    if not math.isfinite(number) or number != int(number) or abs(number) > 2**53:
        raise ValueError(text)
    return int(number)


def pair(value: object) -> tuple[float, float] | None:
    """ "lat, lon" (or "lat lon", "lat;lon", any notation of :func:`parse_number`) -> (lon, lat).

    The cell is cut at each separator in turn. Exactly one cut must give two coordinates whose
    hemisphere letters fit their axes ("2,1 LS 106,1" is not 2.1 and "LS 106,1"); failing
    that, a sign contradicting a hemisphere is reported, or else the one cut that works.

    Raises
    ------
    SignConflictError
        When no cut fits and a sign contradicts its hemisphere.
    ValueError
        When no cut, or more than one, gives two coordinates.
    """
    text = str(value).strip().strip("()[]").strip()
    if not text:
        return None
    found: list[tuple[float, float]] = []
    fitting: list[tuple[float, float]] = []
    conflict: SignConflictError | None = None
    for separator in _PAIR_SEPARATOR.finditer(text):
        try:
            lat, lat_letters = _parse(text[: separator.start()])
            lon, lon_letters = _parse(text[separator.end() :])
        except SignConflictError as exc:
            conflict = exc
            continue
        except ValueError:
            continue
        if lat is not None and lon is not None:
            found.append((lon, lat))
            if lat_letters in _LATITUDE and lon_letters in _LONGITUDE:
                fitting.append((lon, lat))
    if len(fitting) == 1:
        return fitting[0]
    if not fitting and conflict is not None:
        raise conflict
    if not fitting and len(found) == 1:
        return found[0]  # letters on the wrong axes: the axis checks judge the values
    raise ValueError(text)


def cell_text(value: object) -> str | None:
    """A cell as trimmed text; None for blanks (whole floats lose their ".0")."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def fast_numbers(values: pd.Series) -> np.ndarray:
    """Plain decimal numbers parsed at once (NaN where a cell needs the careful parser)."""
    return np.array(pd.to_numeric(values, errors="coerce"), dtype=float)
