"""Data and geometry of Posko: no Streamlit, no Folium."""

from geo import (
    analysis,
    areas,
    coverage,
    crs,
    csvsafe,
    errors,
    fields,
    importer,
    io,
    model,
    operation,
    schema,
    staffing,
    store,
    text,
)

__all__ = [
    "analysis",
    "areas",
    "coverage",
    "crs",
    "csvsafe",
    "errors",
    "fields",
    "importer",
    "io",
    "model",
    "operation",
    "schema",
    "staffing",
    "store",
    "text",
]
