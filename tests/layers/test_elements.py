"""The escaping helpers, tested directly: the script-literal writer and the HTML text escape."""

from __future__ import annotations

import html
import json
from html.parser import HTMLParser

import numpy as np
import pytest

from layers.elements import SiteLayer, Tooltips, coded, escape_text, escape_texts, js_literal

HOSTILE = [
    "</script>",
    "</SCRIPT ><script>window.__pwned=1</script>",
    "<!--",
    "<!-- <script>",
    "<script",
    "line\u2028separator",
    "paragraph\u2029separator",
    "A & B <b>",
    "&lt;already escaped&gt; &amp;",
    "\\u003c written out",
    "\"quotes' and \\ backslash",
    "]]> -->",
]


class _Scripts(HTMLParser):
    """What an HTML parser sees: each script element's text, and any comment it opens."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.comments: list[str] = []
        self._open = False

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "script":
            self._open = True
            self.scripts.append("")

    def handle_endtag(self, tag) -> None:
        if tag == "script":
            self._open = False

    def handle_data(self, data) -> None:
        if self._open:
            self.scripts[-1] += data

    def handle_comment(self, data) -> None:
        self.comments.append(data)


@pytest.mark.parametrize("text", HOSTILE)
def test_script_literal_cannot_leave_its_script(text: str) -> None:
    value = {"name": text, "rows": [text, {"nested": text}], "n": 3}
    literal = js_literal(value)
    for forbidden in ("<", ">", "&", "\u2028", "\u2029"):
        assert forbidden not in literal
    page = f"<script>var d = {literal};</script><p>after</p>"
    parser = _Scripts()
    parser.feed(page)
    parser.close()
    assert parser.scripts == [f"var d = {literal};"]  # one script, ended by our own tag
    assert parser.comments == []


@pytest.mark.parametrize("text", HOSTILE)
def test_script_literal_decodes_to_the_exact_input(text: str) -> None:
    # a JavaScript parser reads \uXXXX inside a string as that character; so does JSON
    value = {"name": text, "list": [text, 1.5, None, True]}
    assert json.loads(js_literal(value)) == value


def test_script_literal_escapes_each_character_as_its_code_point() -> None:
    assert js_literal("<>&\u2028\u2029") == '"\\u003c\\u003e\\u0026\\u2028\\u2029"'
    assert js_literal("Pos é") == '"Pos é"'  # other text stays readable


def test_script_literal_refuses_non_finite_numbers() -> None:
    with pytest.raises(ValueError, match="JSON compliant"):
        js_literal({"x": float("nan")})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("A & B <b>", "A &amp; B &lt;b&gt;"),
        ('" onmouseover="x', "&quot; onmouseover=&quot;x"),
        ("'><svg onload=x>", "&#x27;&gt;&lt;svg onload=x&gt;"),
        ("&amp;", "&amp;amp;"),  # text that looks escaped is still text
        (None, ""),
        (42, "42"),
        ("Kel. Bukit Intan", "Kel. Bukit Intan"),
    ],
)
def test_escape_text(value: object, expected: str) -> None:
    assert escape_text(value) == expected


@pytest.mark.parametrize("text", HOSTILE)
def test_escape_text_is_safe_in_text_and_quoted_attributes(text: str) -> None:
    escaped = escape_text(text)
    assert not set("<>\"'") & set(escaped)
    assert html.unescape(escaped) == text


def test_many_texts_are_escaped_as_one_text_is() -> None:
    texts = np.array([*HOSTILE, "plain", "", 'O\'Brien "x"', "ü &"], dtype=object)
    assert escape_texts(texts).tolist() == [escape_text(v) for v in texts]
    mixed = np.array([None, 7, 2.5, "<b>"], dtype=object)  # as escape_text reads any value
    assert escape_texts(mixed).tolist() == [escape_text(v) for v in mixed]


def test_coded_texts_read_as_the_texts() -> None:
    values = ["b", "a", "b", "", "a"]
    column = coded(values)
    assert list(column) == values and column[1:3] == ["a", "b"] and len(column.uniques) == 3


def test_a_clicked_tooltip_names_its_site_by_the_id_it_ends_with() -> None:
    """Ids with spaces, an id that ends another site's text, a duplicate id, a text that
    names no site, and a layer whose tooltips carry no id: each found as by a full scan."""
    ids = ["TPS 1", "1", "A B C", "TPS 1", "C"]
    tips = Tooltips(lines=("{name}",), slots={"name": ["x", "x TPS", "y", "z", "A B"]}, ref=" {id}")
    layer = SiteLayer(
        "TPS",
        kind="polling_station",
        styles=[],
        lat=[0.0] * 5,
        lon=[0.0] * 5,
        style=[0] * 5,
        site_ids=ids,
        tooltips=tips,
    )
    texts = layer.tooltips.texts(layer.count)
    for text in texts:
        expected = next(ids[j] for j, other in enumerate(texts) if other == text)
        assert layer.site_for_text(text) == expected
    assert layer.site_for_text("x TPS 2") is None
    bare = SiteLayer(
        "TPS",
        kind="polling_station",
        styles=[],
        lat=[0.0],
        lon=[0.0],
        style=[0],
        site_ids=["T9"],
        tooltips=Tooltips(lines=("{name}",), slots={"name": ["Balai"]}),
    )
    assert bare.site_for_text("Balai") == "T9"
