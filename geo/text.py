"""The one catalog of user-facing text, in Bahasa Indonesia (default) and English."""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "catalog",
    "format_distance",
    "format_int",
    "format_share",
    "label",
    "t",
]

LANGUAGES: tuple[str, ...] = ("id", "en")
DEFAULT_LANGUAGE = "id"

# key -> {language: text}. Placeholders use str.format names and must match across languages.
_CATALOG: dict[str, dict[str, str]] = {
    # --- site kinds, risk classes, post types, location quality
    "kind.polling_station": {"id": "TPS", "en": "Polling stations"},
    "kind.government": {"id": "Kantor pemerintahan", "en": "Government buildings"},
    "kind.demonstration_point": {"id": "Titik rawan unjuk rasa", "en": "Demonstration points"},
    "kind.police_post": {"id": "Pos polisi", "en": "Police posts"},
    "kind.logistics": {"id": "Logistik pemilu", "en": "Election logistics"},
    "risk.kurang_rawan": {"id": "Kurang rawan", "en": "Low risk"},
    "risk.rawan": {"id": "Rawan", "en": "At risk"},
    "risk.sangat_rawan": {"id": "Sangat rawan", "en": "High risk"},
    "risk.khusus": {"id": "Khusus", "en": "Special"},
    "post_type.mako": {"id": "Mako Polres/Polresta", "en": "Police HQ (Mako)"},
    "post_type.polsek": {"id": "Polsek", "en": "Police sector (Polsek)"},
    "post_type.pos_pam": {"id": "Pos pengamanan", "en": "Security post"},
    "post_type.pos_terpadu": {"id": "Pos terpadu", "en": "Joint post"},
    "post_type.patrol": {"id": "Basis patroli", "en": "Patrol base"},
    "quality.surveyed": {"id": "disurvei", "en": "surveyed"},
    "quality.geocoded": {"id": "geokode", "en": "geocoded"},
    "quality.approximate": {"id": "perkiraan", "en": "approximate"},
    "quality.synthetic": {"id": "sintetis", "en": "synthetic"},
    # --- map layers and legend
    "layer.areas": {"id": "Wilayah (perkiraan)", "en": "Areas (approximate)"},
    "layer.rings": {"id": "Radius jangkauan pos", "en": "Post coverage rings"},
    "layer.ring_zones": {"id": "Ring pengamanan gedung", "en": "Building ring zones"},
    "layer.uncovered": {"id": "TPS tak terjangkau", "en": "Uncovered polling stations"},
    "legend.title": {"id": "Legenda", "en": "Legend"},
    "legend.uncovered": {"id": "Di luar jangkauan pos", "en": "Beyond reach of any post"},
    "legend.ring": {"id": "Jangkauan pos (radius)", "en": "Post reach (radius)"},
    "legend.ring_zone": {"id": "Ring 1–{n} gedung pemerintahan", "en": "Rings 1–{n} of buildings"},
    "legend.area": {"id": "Batas wilayah (perkiraan)", "en": "Area boundary (approximate)"},
    "basemap.osm": {"id": "OpenStreetMap", "en": "OpenStreetMap"},
    "basemap.light": {"id": "Peta terang", "en": "Light map"},
    "basemap.satellite": {"id": "Citra satelit", "en": "Satellite imagery"},
    "basemap.none": {"id": "Tanpa peta dasar (luring)", "en": "No basemap (offline)"},
    "map.search": {"id": "Cari nama atau nomor TPS…", "en": "Search name or TPS number…"},
    "map.tiles_failed": {
        "id": "Peta dasar tidak dapat dimuat (luring). Semua lokasi tetap ditampilkan.",
        "en": "Basemap tiles could not load (offline). Every site is still shown.",
    },
    # --- tooltips
    "tip.voters": {"id": "{n} pemilih", "en": "{n} voters"},
    "tip.nearest": {
        "id": "Pos terdekat: {post}, {distance}",
        "en": "Nearest post: {post}, {distance}",
    },
    "tip.covered": {"id": "Terjangkau {n} pos", "en": "Reached by {n} post(s)"},
    "tip.uncovered": {"id": "TIDAK terjangkau pos", "en": "NOT reached by any post"},
    "tip.radius": {"id": "Radius {distance} · {n} personel", "en": "Radius {distance} · {n} staff"},
    "tip.quality": {"id": "Lokasi: {quality}", "en": "Location: {quality}"},
    "tip.no_post": {"id": "tidak ada pos", "en": "no post"},
    # --- app
    "app.title": {"id": "Posko — peta pengamanan", "en": "Posko — security map"},
    "app.operation": {"id": "Operasi", "en": "Operation"},
    "app.language": {"id": "Bahasa", "en": "Language"},
    "app.basemap": {"id": "Peta dasar", "en": "Basemap"},
    "app.radii": {"id": "Radius jangkauan per jenis pos (m)", "en": "Reach per post type (m)"},
    "app.layers": {"id": "Lapisan peta", "en": "Map layers"},
    "app.preset": {"id": "Pola pengamanan TPS", "en": "TPS staffing preset"},
    "app.synthetic_banner": {
        "id": "DATA CONTOH: posisi TPS sintetis; gedung, pos dan wilayah perkiraan. "
        "Jangan dipakai untuk operasi tanpa verifikasi.",
        "en": "SAMPLE DATA: polling-station positions are synthetic; buildings, posts and "
        "areas are approximate. Do not use operationally without verification.",
    },
    "app.approximate_banner": {
        "id": "{n} lokasi berposisi perkiraan atau sintetis.",
        "en": "{n} site(s) have approximate or synthetic positions.",
    },
    "metric.tps_covered": {"id": "TPS terjangkau", "en": "TPS covered"},
    "metric.uncovered_by_risk": {"id": "TPS tak terjangkau", "en": "TPS not covered"},
    "metric.demo_beyond": {
        "id": "Titik unjuk rasa di luar jangkauan",
        "en": "Demo points beyond reach",
    },
    "metric.staff_needed": {"id": "Polri dibutuhkan di TPS", "en": "Police needed at TPS"},
    "metric.staff_detail": {
        "id": "dan {linmas} Linmas · pola {preset}",
        "en": "and {linmas} Linmas · preset {preset}",
    },
    "metric.of": {"id": "{covered} dari {total}", "en": "{covered} of {total}"},
    "app.uncovered_table": {"id": "TPS di luar jangkauan", "en": "Polling stations not covered"},
    "app.none_uncovered": {
        "id": "Semua TPS terjangkau.",
        "en": "Every polling station is covered.",
    },
    "app.selected": {"id": "Lokasi terpilih", "en": "Selected site"},
    "app.click_hint": {
        "id": "Klik sebuah lokasi di peta untuk melihat rinciannya.",
        "en": "Click a site on the map to see its details.",
    },
    "app.download_brief": {"id": "Unduh briefing (HTML)", "en": "Download briefing (HTML)"},
    "app.covering_posts": {"id": "Pos yang menjangkau", "en": "Posts within reach"},
    "col.site_id": {"id": "ID", "en": "ID"},
    "col.name": {"id": "Nama", "en": "Name"},
    "col.tps_no": {"id": "No. TPS", "en": "TPS no."},
    "col.kelurahan": {"id": "Kelurahan", "en": "Kelurahan"},
    "col.kecamatan": {"id": "Kecamatan", "en": "Kecamatan"},
    "col.risk": {"id": "Kerawanan", "en": "Risk class"},
    "col.voters": {"id": "Pemilih", "en": "Voters"},
    "col.nearest_post": {"id": "Pos terdekat", "en": "Nearest post"},
    "col.distance_m": {"id": "Jarak (m)", "en": "Distance (m)"},
    "col.kind": {"id": "Jenis", "en": "Kind"},
    "col.location_quality": {"id": "Kualitas lokasi", "en": "Location quality"},
    "col.post": {"id": "Pos", "en": "Post"},
    "col.radius_m": {"id": "Radius (m)", "en": "Radius (m)"},
    "col.total": {"id": "Jumlah", "en": "Total"},
    "col.covered": {"id": "Terjangkau", "en": "Covered"},
    "col.uncovered": {"id": "Tak terjangkau", "en": "Not covered"},
    "col.area": {"id": "Wilayah", "en": "Area"},
    "col.polri": {"id": "Polri", "en": "Police"},
    "col.linmas": {"id": "Linmas", "en": "Linmas"},
    "col.groups": {"id": "Kelompok", "en": "Groups"},
    "col.tps": {"id": "TPS", "en": "TPS"},
    "app.error": {
        "id": "Tidak dapat memuat operasi: {error}",
        "en": "Cannot load the operation: {error}",
    },
    # --- briefing
    "brief.exported": {"id": "Diekspor {when}", "en": "Exported {when}"},
    "brief.exported_by": {"id": "Diekspor {when} oleh {who}", "en": "Exported {when} by {who}"},
    "brief.figures": {"id": "Ringkasan", "en": "Figures"},
    "brief.coverage_by_risk": {
        "id": "Jangkauan TPS per kerawanan",
        "en": "TPS coverage by risk class",
    },
    "brief.demo_points": {
        "id": "Titik unjuk rasa dan pos terdekat",
        "en": "Demonstration points and nearest post",
    },
    "brief.staffing": {"id": "Kebutuhan personel ({preset})", "en": "Staff needed ({preset})"},
    "brief.note_locations": {
        "id": "Catatan: {n} lokasi berposisi perkiraan atau sintetis.",
        "en": "Note: {n} site(s) have approximate or synthetic positions.",
    },
}


def catalog() -> Mapping[str, Mapping[str, str]]:
    """The whole catalog (read-only view), for checks and tests."""
    return _CATALOG


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **values: object) -> str:
    """The text for `key` in `lang`, with `values` filled in.

    Raises
    ------
    KeyError
        When the key is not in the catalog (a programming error, never user input).
    """
    entry = _CATALOG[key]
    text = entry.get(lang, entry[DEFAULT_LANGUAGE])
    return text.format(**values) if values else text


def label(prefix: str, value: object, lang: str = DEFAULT_LANGUAGE) -> str:
    """Label of an enum-like value (e.g. `label("risk", "rawan")`); the raw value if unknown."""
    key = f"{prefix}.{value}"
    return t(key, lang) if key in _CATALOG else str(value)


def format_int(value: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """A whole number with the language's thousands separator (164.330 / 164,330)."""
    text = f"{int(value):,}"
    return text.replace(",", ".") if lang == "id" else text


def format_share(share: float, lang: str = DEFAULT_LANGUAGE) -> str:
    """A share 0..1 as a percentage with one decimal (87,5 % / 87.5%)."""
    text = f"{100 * share:.1f}"
    return f"{text.replace('.', ',')}\u00a0%" if lang == "id" else f"{text}%"


def format_distance(metres: float, lang: str = DEFAULT_LANGUAGE) -> str:
    """A distance as "820 m" or "1,2 km" (Indonesian) / "1.2 km" (English)."""
    if metres != metres:  # NaN: no distance
        return "–"
    if metres < 1000:
        return f"{metres:.0f} m"
    text = f"{metres / 1000:.1f}"
    return f"{text.replace('.', ',') if lang == 'id' else text} km"
