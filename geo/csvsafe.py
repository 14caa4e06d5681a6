"""CSV that a spreadsheet opens as plain data: text cells that could start a formula neutralised.

OWASP's CSV-injection rule: a text cell beginning with `=`, `+`, `-`, `@`, a tab or a carriage
return is prefixed with a single quote, so Excel, LibreOffice and Google Sheets show it as text
instead of evaluating it. Numbers, negative ones too and numbers kept as text, stay as
they are.
"""

from __future__ import annotations

import numbers
import re

import pandas as pd

__all__ = ["FORMULA_STARTS", "neutralise_cell", "to_csv_safe"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A number written as text (a coordinate "-2.13", a phone "+62812") is data, not a formula.
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


def neutralise_cell(value: object) -> object:
    """`value` made inert in a spreadsheet: text that could start a formula gets a leading quote.

    Parameters
    ----------
    value
        One cell; anything that is not text (numbers, booleans, missing values) is returned as is.

    Returns
    -------
    cell
        The value, or `"'" + value` for text beginning with one of :data:`FORMULA_STARTS`
        that is not a plain number.
    """
    if isinstance(value, numbers.Number) or not isinstance(value, str):
        return value
    if not value.startswith(FORMULA_STARTS) or _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def to_csv_safe(frame: pd.DataFrame, **options: object) -> str:
    """`frame` as CSV text, every text cell and header neutralised (:func:`neutralise_cell`).

    Parameters
    ----------
    frame
        The table to write; it is not changed.
    **options
        Passed to :meth:`pandas.DataFrame.to_csv` (`index=False` unless given).

    Returns
    -------
    text
        The CSV.
    """
    safe = frame.copy()
    safe.columns = [neutralise_cell(str(c)) for c in frame.columns]
    for i in range(safe.shape[1]):
        column = safe.iloc[:, i]
        if column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
            # cell by cell into an object column: `map` would make floats of whole numbers
            # that share a column with a decimal ("248.0")
            cells = [neutralise_cell(v) for v in column]
            safe.isetitem(i, pd.Series(cells, index=column.index, dtype=column.dtype))
    options.setdefault("index", False)
    return safe.to_csv(**options)
