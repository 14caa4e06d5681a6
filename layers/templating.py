"""Posko's own HTML from autoescaping Jinja templates (layers/templates), as page elements.

Every value a template prints is HTML-escaped unless it is already markup (a rendered
macro); an undefined name is an error, not an empty string. Folium's elements, by contrast,
treat their text as a template and never escape: markup is handed to a figure only through
`TemplateElement` (rendered here) or `RawElement` (kept as it is), so a site name such as
"{{ 7 * 7 }}" is printed as written.

Branca renders every macro element (each Folium layer) twice: its macros' output is wrapped
in a new `Element`, whose text is compiled as a template again. A value a layer writes into
its script (a site id from an uploaded list) would then run as Jinja on the server. Importing
this module makes macro output final (`RawElement`), for Posko's layers and Folium's alike.
"""

from __future__ import annotations

from typing import Any

from branca.element import Element, Figure, MacroElement
from jinja2 import Environment, PackageLoader, StrictUndefined

__all__ = ["RawElement", "TemplateElement", "render_template"]

# Templates are read-only and compiled once; the environment holds no per-user state.
_ENV = Environment(
    loader=PackageLoader("layers", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_template(name: str, /, **context: Any) -> str:
    """Render the template `name` from layers/templates with `context`, every value escaped.

    Raises
    ------
    jinja2.TemplateNotFound
        When there is no such template.
    jinja2.UndefinedError
        When the template uses a name missing from `context`.
    """
    return _ENV.get_template(name).render(**context)


class RawElement(Element):
    """A figure element whose markup is written out as it is, never read as a template."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self._name = "RawElement"
        self.markup = markup

    def render(self, **kwargs: Any) -> str:
        """The markup, unchanged."""
        return self.markup


class TemplateElement(Element):
    """A figure element rendered from one autoescaping template of layers/templates.

    Parameters
    ----------
    template
        File name under layers/templates, e.g. "brief_head.html".
    context
        The values the template prints (plain text; escaped when rendered).
    """

    def __init__(self, template: str, /, **context: Any) -> None:
        super().__init__()
        self._name = "TemplateElement"
        self.section = template
        self.context = context

    def render(self, **kwargs: Any) -> str:
        """The element's HTML."""
        return render_template(self.section, **self.context)


def _render_macros_once(self: MacroElement, **kwargs: Any) -> None:
    """`MacroElement.render` with the macros' output added as final markup."""
    figure = self.get_root()
    if not isinstance(figure, Figure):
        raise TypeError(f"{type(self).__name__} can be rendered only inside a Figure")
    macros = self._template.module.__dict__
    for part in ("header", "html", "script"):
        macro = macros.get(part)
        if macro is not None:
            getattr(figure, part).add_child(RawElement(macro(self, kwargs)), name=self.get_name())
    for element in self._children.values():
        element.render(**kwargs)


MacroElement.render = _render_macros_once
