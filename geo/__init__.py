"""Data and geometry of Posko: no Streamlit, no Folium."""

from geo import analysis, areas, coverage, crs, errors, model, operation, staffing, text

__all__ = [
    "analysis",
    "areas",
    "coverage",
    "crs",
    "errors",
    "model",
    "operation",
    "staffing",
    "text",
]
