"""Posko's HTML templates: autoescaped, strict, shipped with the package; the one banner."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

import jinja2
import pytest

from layers.banner import classification_banner_html
from layers.templating import RawElement, TemplateElement, render_template

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "layers" / "templates"


def test_values_are_escaped_and_markup_from_macros_is_not() -> None:
    html = render_template(
        "brief_head.html",
        title="A & B <b>",
        plan="<i>P</i>",
        unsaved="",
        stamp='"x"',
        caution="",
    )
    assert html == (
        '<div class="brief-head"><h1>A &amp; B &lt;b&gt;</h1>'
        '<div class="brief-plan">&lt;i&gt;P&lt;/i&gt;</div>'
        '<div class="sub">&#34;x&#34;</div></div>'
    )


def test_a_missing_value_is_an_error() -> None:
    with pytest.raises(jinja2.UndefinedError, match="stamp"):
        render_template("brief_head.html", title="Ops", plan="", unsaved="")


def test_elements_write_text_as_it_is() -> None:
    assert RawElement("{{ 7 * 7 }} <b>").render() == "{{ 7 * 7 }} <b>"
    section = TemplateElement(
        "brief_head.html", title="{{ 7 * 7 }}", plan="", unsaved="", stamp="", caution=""
    )
    assert "<h1>{{ 7 * 7 }}</h1>" in section.render()


@pytest.mark.parametrize("position", ["", "top", "bottom"])
def test_banner_escapes_its_text(position: str) -> None:
    html = classification_banner_html("RAHASIA <b> & co", position=position)
    assert html.startswith('<div style="background:#b71c1c;')
    assert html.endswith(">RAHASIA &lt;b&gt; &amp; co</div>")
    assert f'class="cls-banner{" " + position if position else ""}"' in html


def test_banner_refuses_an_unknown_position() -> None:
    with pytest.raises(ValueError, match="`position` is 'left'"):
        classification_banner_html("TERBATAS", position="left")


def test_every_template_ships_in_the_wheel() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "layers.templates" in config["tool"]["setuptools"]["packages"]
    patterns = config["tool"]["setuptools"]["package-data"]["layers.templates"]
    files = [p.name for p in TEMPLATES.iterdir()]
    assert files
    for name in files:
        assert any(fnmatch.fnmatch(name, pattern) for pattern in patterns), name
