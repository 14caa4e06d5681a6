"""The escaping helpers on their own: the script-literal writer and the HTML text escaper."""

from __future__ import annotations

import json
import math

import pytest

from layers.elements import escape_text, js_literal


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "</script><script>alert(1)</script>",
            r'"\u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e"',
        ),
        ("<!-- x -->", r'"\u003c!-- x --\u003e"'),
        ("a & b", r'"a \u0026 b"'),
        ("line\u2028para\u2029end", r'"line\u2028para\u2029end"'),
        ({"nama": ["Pos é", 2, None, True]}, '{"nama":["Pos é",2,null,true]}'),
    ],
)
def test_js_literal_escapes_what_could_end_a_script(value, expected: str) -> None:
    text = js_literal(value)
    assert text == expected
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in text
    # the escapes are plain JSON: a script reads back exactly the value
    assert json.loads(text) == value


def test_js_literal_refuses_numbers_json_cannot_carry() -> None:
    for bad in (math.nan, math.inf):
        with pytest.raises(ValueError, match="JSON compliant"):
            js_literal({"x": bad})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (0, "0"),
        ("Pos <b>\"1\"</b> & 'dua'", "Pos &lt;b&gt;&quot;1&quot;&lt;/b&gt; &amp; &#x27;dua&#x27;"),
        ("javascript:alert(1)", "javascript:alert(1)"),
    ],
)
def test_escape_text_escapes_markup_and_both_quotes(value, expected: str) -> None:
    assert escape_text(value) == expected
