"""The one catalog of user-facing text, in Bahasa Indonesia (default) and English."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import date

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "Labels",
    "Number",
    "Text",
    "catalog",
    "format_coordinates",
    "format_date",
    "format_distance",
    "format_int",
    "format_number",
    "format_share",
    "format_share_change",
    "label",
    "localized",
    "t",
]

LANGUAGES: tuple[str, ...] = ("id", "en")
DEFAULT_LANGUAGE = "id"

# key -> {language: text}. Placeholders use str.format names and must match across languages.
_CATALOG: dict[str, dict[str, str]] = {
    # --- location quality (kind, risk class and post type labels: geo.model registries)
    "quality.surveyed": {"id": "disurvei", "en": "surveyed"},
    "quality.geocoded": {"id": "geokode", "en": "geocoded"},
    "quality.approximate": {"id": "perkiraan", "en": "approximate"},
    "quality.synthetic": {"id": "sintetis", "en": "synthetic"},
    # --- map layers and legend
    "layer.areas": {"id": "Batas wilayah", "en": "Area boundaries"},
    "layer.rings": {"id": "Radius jangkauan pos", "en": "Post coverage rings"},
    "layer.ring_zones": {"id": "Ring pengamanan gedung", "en": "Building ring zones"},
    "layer.uncovered": {"id": "TPS tak terjangkau", "en": "Uncovered polling stations"},
    "layer.zones": {"id": "Zona rencana", "en": "Plan zones"},
    "layer.chain": {"id": "Rantai logistik", "en": "Logistics chain"},
    "layer.reserves": {"id": "Jangkauan respons cadangan", "en": "Reserve response reach"},
    "legend.title": {"id": "Legenda", "en": "Legend"},
    "legend.uncovered": {"id": "Di luar jangkauan pos", "en": "Beyond reach of any post"},
    "legend.ring": {"id": "Jangkauan pos (radius)", "en": "Post reach (radius)"},
    "legend.reserve_reach": {
        "id": "Jangkauan respons cadangan",
        "en": "Reserve response reach",
    },
    "tip.reserve_reach": {
        "id": "{name} · {unit} · {n} personel · respons s.d. {distance} (bukan cakupan TPS)",
        "en": "{name} · {unit} · {n} officers · responds within {distance} (does not cover TPS)",
    },
    "legend.ring_zone": {"id": "Ring 1–{n} gedung pemerintahan", "en": "Rings 1–{n} of buildings"},
    "legend.area": {"id": "Batas wilayah", "en": "Area boundary"},
    "legend.area_approximate": {
        "id": "Batas wilayah (perkiraan)",
        "en": "Area boundary (approximate)",
    },
    "legend.area_partly": {
        "id": "Batas wilayah (sebagian perkiraan)",
        "en": "Area boundary (partly approximate)",
    },
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
    "tip.indicators": {"id": "Indikator rawan: {names}", "en": "Risk indicators: {names}"},
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
    # --- the map by zoom (many sites): cells, stacks
    "grid.cell_count": {"id": "{n} {kind}", "en": "{n} × {kind}"},
    "grid.cell_uncovered": {
        "id": "{n} tidak terjangkau pos ({share})",
        "en": "{n} not reached by any post ({share})",
    },
    "grid.cell_worst": {"id": "Risiko tertinggi: {risk}", "en": "Highest risk: {risk}"},
    "grid.cell_zoom": {"id": "Klik untuk memperbesar", "en": "Click to zoom in"},
    "grid.stack": {
        "id": "{n} {kind} di titik yang sama — klik untuk daftar",
        "en": "{n} × {kind} at one spot — click for the list",
    },
    "grid.stack_title": {"id": "{n} {kind} di titik ini", "en": "{n} × {kind} at this spot"},
    "legend.grid_cells": {
        "id": "Kotak TPS: makin merah, makin banyak tak terjangkau",
        "en": "TPS cells: the redder, the more beyond reach",
    },
    "legend.grid_stack": {
        "id": "Beberapa lokasi di satu titik (angka = jumlah)",
        "en": "Several sites at one spot (number = count)",
    },
    "legend.coverage_surface": {"id": "Wilayah jangkauan pos", "en": "Area within reach of posts"},
    # --- app
    "app.title": {"id": "Posko — peta pengamanan", "en": "Posko — security map"},
    "app.operation": {"id": "Operasi", "en": "Operation"},
    "app.language": {"id": "Bahasa", "en": "Language"},
    "app.basemap": {"id": "Peta dasar", "en": "Basemap"},
    "app.radii": {"id": "Radius jangkauan per jenis pos (m)", "en": "Reach per post type (m)"},
    "app.radii_help": {
        "id": "Berlaku untuk pos yang tidak punya radius sendiri.",
        "en": "Used by the posts that have no radius of their own.",
    },
    "app.own_reach": {
        "id": "Memakai radius sendiri: {posts}",
        "en": "With their own radius: {posts}",
    },
    "app.layers": {"id": "Lapisan peta", "en": "Map layers"},
    "app.preset": {"id": "Pola pengamanan TPS", "en": "TPS staffing preset"},
    "app.synthetic_banner": {
        "id": "DATA CONTOH: posisi TPS sintetis; gedung dan pos perkiraan. "
        "Jangan dipakai untuk operasi tanpa verifikasi.",
        "en": "SAMPLE DATA: polling-station positions are synthetic; buildings and posts are "
        "approximate. Do not use operationally without verification.",
    },
    "app.approximate_banner": {
        "id": "{n} lokasi berposisi perkiraan atau sintetis.",
        "en": "{n} site(s) have approximate or synthetic positions.",
    },
    "metric.tps_covered": {"id": "TPS terjangkau", "en": "TPS covered"},
    "metric.uncovered_by_risk": {"id": "TPS tak terjangkau", "en": "TPS not covered"},
    "metric.demo_beyond": {
        "id": "Titik unras di luar jangkauan",
        "en": "Demo points beyond reach",
    },
    "metric.staff_needed": {"id": "Polri dibutuhkan", "en": "Police needed"},
    "metric.staff_sum": {
        "id": "{tps} jaga TPS + {warehouse} jaga gudang PPK ({n} gudang) = {total} · pola {preset}",
        "en": "{tps} TPS guards + {warehouse} PPK warehouse guards ({n} warehouses) = {total} · "
        "preset {preset}",
    },
    "metric.assumptions": {
        "id": "Asumsi: radius (m) {radii} · pola {preset} · bobot kerawanan {weights}",
        "en": "Assumes: reach (m) {radii} · preset {preset} · risk weights {weights}",
    },
    "metric.weighted": {
        "id": "Skor berbobot kerawanan: {score}",
        "en": "Risk-weighted score: {score}",
    },
    "app.weights": {"id": "Bobot kerawanan (skor)", "en": "Risk weights (score)"},
    "app.by_area": {"id": "Jangkauan TPS per wilayah", "en": "TPS coverage by area"},
    "app.area_level": {"id": "Tingkat wilayah", "en": "Area level"},
    "app.table_empty": {"id": "Tidak ada baris.", "en": "No rows."},
    "app.outside": {"id": "di luar semua wilayah", "en": "outside every area"},
    # --- per-area summaries (geo.summary) and their drill-down on the map page
    "summary.title": {"id": "Ringkasan per wilayah", "en": "Summary by area"},
    "summary.all": {"id": "Semua {level}", "en": "All {level}"},
    "summary.pick": {"id": "Pilih {level}", "en": "Choose {level}"},
    "summary.rows_of": {
        "id": "{level} di {area}: {n} wilayah.",
        "en": "{level} in {area}: {n} areas.",
    },
    "summary.uncovered_top": {
        "id": "{shown} TPS paling rawan dari {total} TPS di luar jangkauan ({where}); daftar "
        "lengkap ada di unduhan CSV.",
        "en": "The {shown} gravest of {total} polling stations not covered ({where}); the full "
        "list is in the CSV download.",
    },
    "summary.everywhere": {"id": "seluruh operasi", "en": "whole operation"},
    "summary.areas_csv": {
        "id": "Unduh ringkasan semua wilayah (CSV)",
        "en": "Download the summary of every area (CSV)",
    },
    "summary.col.area_code": {"id": "Kode wilayah", "en": "Area code"},
    "summary.col.parent_code": {"id": "Kode wilayah induk", "en": "Parent area code"},
    "summary.col.uncovered_share": {"id": "Tak terjangkau (%)", "en": "Not covered (%)"},
    "summary.col.worst_uncovered": {
        "id": "Kerawanan tertinggi tak terjangkau",
        "en": "Gravest risk not covered",
    },
    "summary.col.threatened_m": {
        "id": "Jarak ke gedung terancam (m)",
        "en": "Distance to the threatened building (m)",
    },
    "summary.yes": {"id": "ya", "en": "yes"},
    "summary.no": {"id": "tidak", "en": "no"},
    "staff.title": {"id": "Kebutuhan personel", "en": "Staffing"},
    "staff.polri": {"id": "Polri dibutuhkan", "en": "Police needed"},
    "staff.linmas": {"id": "Linmas dibutuhkan", "en": "Linmas needed"},
    "staff.tni": {"id": "TNI (gudang PPK)", "en": "TNI (PPK warehouses)"},
    "staff.available": {"id": "Polri tersedia di pos", "en": "Police at the posts"},
    "staff.shortfall": {"id": "Kekurangan Polri", "en": "Police short"},
    "staff.note": {
        "id": "Kelompok jaga dibentuk per wilayah; gudang PPK dijaga 5 Polri + 5 TNI. "
        "Pengawalan kotak suara ({escort} penugasan: 2/4/6 Polri per TPS menurut kelasnya) "
        "dijalankan bergiliran oleh personel jaga TPS sesudah penghitungan, jadi tidak "
        "menambah jumlah Polri.",
        "en": "Guard groups are formed within each area; a PPK warehouse is guarded by 5 police "
        "and 5 TNI. Ballot-box escorts ({escort} assignments: 2/4/6 police per TPS by class) "
        "are done in turns by the TPS guards after the count, so they add no police.",
    },
    "staff.preset_table": {
        "id": "Pola pengamanan: {preset} (dapat diubah)",
        "en": "Preset: {preset} (editable)",
    },
    "staff.per_group_polri": {"id": "Polri per kelompok", "en": "Police per group"},
    "staff.per_group_tps": {"id": "TPS per kelompok", "en": "TPS per group"},
    "staff.per_group_linmas": {"id": "Linmas per kelompok", "en": "Linmas per group"},
    "staff.min_polri": {
        "id": "Polri minimum per kelompok (sistem berpasangan)",
        "en": "Minimum police per group (buddy system)",
    },
    "staff.download": {"id": "Unduh kebutuhan personel (CSV)", "en": "Download staffing (CSV)"},
    "staff.col.area": {"id": "Wilayah", "en": "Area"},
    "staff.col.tps": {"id": "TPS", "en": "TPS"},
    "staff.col.groups": {"id": "Kelompok", "en": "Groups"},
    "staff.col.polri_tps": {"id": "Polri di TPS", "en": "Police at TPS"},
    "staff.col.warehouses": {"id": "Gudang PPK", "en": "PPK warehouses"},
    "staff.col.polri": {"id": "Polri dibutuhkan", "en": "Police needed"},
    "staff.col.linmas": {"id": "Linmas", "en": "Linmas"},
    "staff.col.escort_polri": {"id": "Pengawalan (Polri)", "en": "Escorts (police)"},
    "staff.col.available": {"id": "Polri tersedia", "en": "Police available"},
    "staff.col.shortfall": {"id": "Kekurangan", "en": "Short"},
    "staff.shortfall_note": {
        "id": "Kekurangan dijumlah per wilayah: kelebihan personel di satu wilayah tidak menutup "
        "kekurangan di wilayah lain, sehingga jumlahnya bisa lebih besar daripada kebutuhan − "
        "tersedia ({polri} − {available} = {net}).",
        "en": "The shortfall is summed area by area: officers to spare in one area do not fill "
        "the gap in another, so it can exceed need − available ({polri} − {available} = "
        "{net}).",
    },
    "staff.all_phases_note": {
        "id": "Seluruh operasi: penjaga TPS (pemungutan dan penghitungan suara) dan penjaga gudang "
        "PPK (rekapitulasi) dijumlah seolah bertugas bersamaan. Kebutuhan nyata tiap tahapan "
        "dan puncaknya ada di tabel personel per tahapan.",
        "en": "Whole operation: the TPS guards (voting and counting) and the PPK warehouse guards "
        "(recapitulation) are added up as if on duty at once. What each phase really needs, and "
        "the peak, is in the staffing-per-phase table.",
    },
    # the posts hold more officers than the guards need: no negative difference is shown
    "staff.shortfall_note_spare": {
        "id": "Kekurangan dijumlah per wilayah: kelebihan personel di satu wilayah tidak menutup "
        "kekurangan di wilayah lain. Polri di pos ({available}) melebihi kebutuhan jaga TPS dan "
        "gudang PPK ({polri}) sebanyak {spare}, tetapi wilayah yang posnya tidak cukup masih "
        "kurang {short} Polri.",
        "en": "The shortfall is summed area by area: officers to spare in one area do not fill "
        "the gap in another. The posts' officers ({available}) exceed the TPS and PPK warehouse "
        "guard need ({polri}) by {spare}, yet the areas whose posts have too few still lack "
        "{short}.",
    },
    "staff.shortfall_note_enough": {
        "id": "Kekurangan dijumlah per wilayah: kelebihan personel di satu wilayah tidak menutup "
        "kekurangan di wilayah lain. Polri di pos ({available}) melebihi kebutuhan jaga TPS dan "
        "gudang PPK ({polri}) sebanyak {spare}, dan tidak ada wilayah yang kekurangan.",
        "en": "The shortfall is summed area by area: officers to spare in one area do not fill "
        "the gap in another. The posts' officers ({available}) exceed the TPS and PPK warehouse "
        "guard need ({polri}) by {spare}, and no area is short.",
    },
    # --- the ballot logistics chain (geo.logistics, layers.chain, layers.brief_chain)
    "chain.title": {
        "id": "Rantai logistik pemilu dan pengawalannya",
        "en": "Ballot logistics chain and its escorts",
    },
    "chain.not_in_phase": {
        "id": "Tahapan {phase} tanpa pengawalan logistik: rantai logistik (gudang KPU → PPK → "
        "PPS → TPS) dikawal pada tahapan {escorted}.",
        "en": "No logistics escort in the {phase} phase: the chain (KPU warehouse → PPK → PPS → "
        "polling station) is escorted in the {escorted} phase.",
    },
    "chain.role.warehouse": {"id": "Gudang KPU", "en": "KPU warehouse"},
    "chain.role.ppk": {"id": "PPK", "en": "PPK"},
    "chain.role.pps": {"id": "PPS", "en": "PPS"},
    "chain.role.tps": {"id": "TPS", "en": "Polling station"},
    "chain.level.ppk": {"id": "Gudang KPU → PPK", "en": "KPU warehouse → PPK"},
    "chain.level.pps": {"id": "PPK → PPS/kelurahan", "en": "PPK → PPS/kelurahan"},
    "chain.level.tps": {"id": "PPS → TPS", "en": "PPS → polling station"},
    "chain.legend.unreached": {
        "id": "Jalur logistik di luar jangkauan pos",
        "en": "Logistics leg beyond the posts' reach",
    },
    "chain.broken.no_code": {
        "id": "{what} {name} tidak mempunyai kode wilayah.",
        "en": "{what} {name} has no area code.",
    },
    "chain.broken.bad_code": {
        "id": "{what} {name}: kode wilayah {code} bukan tingkat yang sesuai (gudang KPU: "
        "kabupaten/kota; PPK: kecamatan; PPS dan TPS: kelurahan/desa).",
        "en": "{what} {name}: area code {code} is not of the right level (KPU warehouse: "
        "kabupaten/kota; PPK: kecamatan; PPS and polling station: kelurahan/desa).",
    },
    "chain.broken.duplicate": {
        "id": "{what} {name} ganda: kode {code} sudah dipakai {detail}; hanya {detail} yang "
        "dihubungkan.",
        "en": "{what} {name} is a duplicate: code {code} is already used by {detail}; only "
        "{detail} is linked.",
    },
    "chain.broken.no_warehouse": {
        "id": "{what} {name} ({code}): tidak ada gudang KPU berkode {detail}.",
        "en": "{what} {name} ({code}): no KPU warehouse with code {detail}.",
    },
    "chain.broken.no_ppk": {
        "id": "{what} {name} ({code}): tidak ada PPK untuk kecamatan {detail}.",
        "en": "{what} {name} ({code}): no PPK for kecamatan {detail}.",
    },
    "chain.legs_line": {
        "id": "Jalur: {ppk} gudang → PPK, {pps} PPK → PPS, {tps} PPS → TPS ({assumed} lewat titik "
        "tengah kelurahan karena lokasi PPS tidak ada)",
        "en": "Legs: {ppk} warehouse → PPK, {pps} PPK → PPS, {tps} PPS → polling station "
        "({assumed} through the kelurahan's middle point, no PPS site given)",
    },
    "chain.escort_line": {
        "id": "Pengawalan logistik: {polri} Polri (dijumlah per jalur)",
        "en": "Logistics escorts: {polri} police (added up per leg)",
    },
    "chain.guard_line": {
        "id": "Pengamanan gudang PPK: {n} gudang, {polri} Polri + {tni} TNI",
        "en": "PPK warehouse guards: {n} warehouses, {polri} police + {tni} TNI",
    },
    "chain.unreached_line": {
        "id": "Jalur yang tidak seluruhnya dalam jangkauan pos: {n}",
        "en": "Legs not wholly within the posts' reach: {n}",
    },
    "chain.broken_line": {"id": "Tautan terputus: {n}", "en": "Broken links: {n}"},
    "chain.escort_leg": {"id": "pengawal {polri} Polri", "en": "escort {polri} police"},
    "chain.none": {
        "id": "Operasi ini belum mempunyai rantai logistik (lokasi logistik berperan gudang, "
        "ppk atau pps dengan kode wilayah).",
        "en": "This operation has no logistics chain yet (logistics sites with the role "
        "warehouse, ppk or pps and an area code).",
    },
    "chain.col.level": {"id": "Jalur", "en": "Leg"},
    "chain.col.legs": {"id": "Jumlah", "en": "Legs"},
    "chain.col.length": {"id": "Panjang total", "en": "Total length"},
    "chain.col.escort": {"id": "Pengawal Polri", "en": "Police escort"},
    "chain.col.unreached": {"id": "Di luar jangkauan", "en": "Beyond reach"},
    "chain.col.from": {"id": "Dari", "en": "From"},
    "chain.col.to": {"id": "Ke", "en": "To"},
    "chain.col.beyond": {"id": "Panjang di luar jangkauan", "en": "Length beyond reach"},
    "chain.col.problem": {"id": "Masalah", "en": "Problem"},
    "chain.unreached_title": {
        "id": "Jalur logistik di luar jangkauan pos",
        "en": "Logistics legs beyond the posts' reach",
    },
    "chain.broken_title": {"id": "Tautan rantai yang terputus", "en": "Broken chain links"},
    "chain.more": {
        "id": "{shown} dari {total} ditampilkan; daftar lengkap: posko chain OPERASI.",
        "en": "{shown} of {total} shown; the full list: posko chain OPERATION.",
    },
    "chain.note_straight": {
        "id": "Jalur digambar sebagai garis lurus antarlokasi, bukan rute jalan.",
        "en": "Legs are drawn as straight lines between the sites, not along roads.",
    },
    "chain.note_routed": {
        "id": "{n} jalur mengikuti berkas jalan; sisanya garis lurus.",
        "en": "{n} legs follow the road file; the others are straight lines.",
    },
    "chain.note_escort": {
        "id": "Pengawal per jalur: jalur ke TPS sesuai kelas TPS menurut pola {preset}; jalur "
        "di atasnya mengikuti kelas paling rawan yang diangkut, minimal {ppk} Polri "
        "(gudang → PPK) dan {pps} Polri (PPK → PPS). Pengamanan gudang PPK dihitung terpisah.",
        "en": "Escort per leg: a leg to a polling station by its class under {preset}; a leg "
        "above by the gravest class it carries, at least {ppk} police (warehouse → PPK) and "
        "{pps} police (PPK → PPS). PPK warehouse guards are counted separately.",
    },
    "chain.note_reach": {
        "id": "Di luar jangkauan: lebih dari {tolerance} m jalur berada di luar radius "
        "jangkauan semua pos.",
        "en": "Beyond reach: more than {tolerance} m of the leg lies outside every post's "
        "reach radius.",
    },
    "chain.roads_no_crs": {
        "id": "Berkas jalan {file} tidak mencantumkan CRS; simpan dengan CRS (EPSG:4326).",
        "en": "Road file {file} declares no CRS; save it with one (EPSG:4326).",
    },
    "chain.roads_no_lines": {
        "id": "Berkas jalan {file} tidak berisi garis jalan.",
        "en": "Road file {file} holds no road lines.",
    },
    "chain.roads_unreadable": {
        "id": "Berkas jalan {file} tidak dapat dibaca: bukan berkas GeoPackage atau GeoJSON, "
        "atau berkasnya rusak atau terpotong. Ekspor ulang garis jalan dari aplikasi GIS Anda.",
        "en": "Road file {file} cannot be read: it is not a GeoPackage or GeoJSON file, or it is "
        "damaged or cut short. Export the road lines again from your GIS software.",
    },
    # --- phases of the operation (geo.phases) and staffing per phase
    "phase.persiapan": {"id": "Persiapan", "en": "Preparation"},
    "phase.kampanye": {"id": "Kampanye", "en": "Campaign"},
    "phase.masa_tenang": {"id": "Masa tenang", "en": "Quiet period"},
    "phase.pungut_hitung": {"id": "Pemungutan dan penghitungan suara", "en": "Voting and count"},
    "phase.rekapitulasi": {"id": "Rekapitulasi", "en": "Recapitulation"},
    "phase.penetapan": {"id": "Penetapan hasil", "en": "Determination of results"},
    "phase.all": {"id": "Seluruh tahapan", "en": "All phases"},
    "phase.choose": {"id": "Tahapan operasi", "en": "Phase of the operation"},
    "phase.dates": {"id": "{start} s.d. {end}", "en": "{start} to {end}"},
    "phase.heading": {"id": "Tahapan: {name} ({dates})", "en": "Phase: {name} ({dates})"},
    "phase.whole": {
        "id": "Seluruh operasi (semua tahapan)",
        "en": "Whole operation (all phases)",
    },
    "phase.no_scenarios": {
        "id": "Tidak ada skenario unjuk rasa pada tahapan {phase}; geser ke tahapan lain atau "
        "ke seluruh tahapan.",
        "en": "No demonstration scenario in the {phase} phase; move to another phase or to all "
        "phases.",
    },
    "phase.timeline": {"id": "Tahapan operasi", "en": "Phases of the operation"},
    "phase.col.phase": {"id": "Tahapan", "en": "Phase"},
    "phase.col.dates": {"id": "Tanggal", "en": "Dates"},
    "phase.col.days": {"id": "Hari", "en": "Days"},
    "phase.col.tps_polri": {"id": "Polri jaga TPS", "en": "Police at TPS"},
    "phase.col.warehouse_polri": {"id": "Polri gudang PPK", "en": "Police at PPK warehouses"},
    "phase.col.post_polri": {"id": "Polri di pos", "en": "Police at posts"},
    "phase.col.shortfall_polri": {
        "id": "Tambahan jaga (wilayah kurang)",
        "en": "Extra guards (areas short)",
    },
    "phase.col.static_polri": {"id": "Polri pengamanan tetap", "en": "Static guards (police)"},
    "phase.col.reserve_polri": {"id": "Pasukan cadangan", "en": "Reserves"},
    "phase.col.polri": {"id": "Jumlah Polri", "en": "Police in all"},
    "phase.col.linmas": {"id": "Linmas", "en": "Linmas"},
    "phase.col.tni": {"id": "TNI", "en": "TNI"},
    "phase.staffing": {"id": "Kebutuhan personel per tahapan", "en": "Staffing per phase"},
    "phase.peak": {
        "id": "Puncak kebutuhan: {name} ({dates}), {polri} Polri: {posts} di pos (juga menjaga "
        "{guards} kebutuhan jaga TPS dan gudang PPK di wilayahnya), {short} tambahan untuk "
        "wilayah yang posnya kurang, {reserves} cadangan.",
        "en": "Peak: {name} ({dates}), {polri} police: {posts} at posts (who also cover the "
        "{guards} TPS and PPK warehouse guards their areas need), {short} more for the areas "
        "whose posts fall short, {reserves} in reserve.",
    },
    "phase.staffing_note": {
        "id": "Jaga TPS hanya pada pemungutan dan penghitungan suara; gudang PPK dijaga selama "
        "rekapitulasi; pos dihitung pada tahapan yang dicantumkan (kosong: semua tahapan) dan "
        "personel pos juga menjaga TPS serta gudang di wilayahnya, sehingga pengamanan tetap = "
        "Polri di pos + tambahan untuk wilayah yang kurang; pasukan cadangan dihitung terpisah.",
        "en": "TPS guards only at the vote and count; PPK warehouses guarded during the "
        "recapitulation; posts counted in the phases they list (none listed: every phase), "
        "their officers also guarding the TPS and warehouses of their area, so static guards "
        "= police at posts + the extra the areas short of them need; reserves counted apart.",
    },
    "phase.reserves": {"id": "Pasukan cadangan", "en": "Reserves"},
    "phase.no_reserves": {
        "id": "Tidak ada pasukan cadangan yang siaga pada tahap {phase}.",
        "en": "No reserve unit stands by in the {phase} phase.",
    },
    "phase.reserves_line": {
        "id": "Pasukan cadangan: {n} unit, {polri} personel (di luar pengamanan tetap).",
        "en": "Reserves: {n} unit(s), {polri} personnel (not counted with static guards).",
    },
    "phase.col.unit": {"id": "Satuan", "en": "Unit"},
    "phase.col.base": {"id": "Pangkalan", "en": "Base"},
    "phase.col.strength": {"id": "Kekuatan", "en": "Strength"},
    "phase.col.reach": {"id": "Jangkauan respons", "en": "Response reach"},
    "phase.none_on_date": {
        "id": "Tanggal {day} di luar tahapan operasi ({first} s.d. {last}).",
        "en": "Date {day} is outside the operation's phases ({first} to {last}).",
    },
    "phase.no_timeline": {
        "id": "Operasi ini belum punya tahapan (`[[phases]]` di operation.toml).",
        "en": "This operation has no phases yet (`[[phases]]` in operation.toml).",
    },
    "phase.no_such": {
        "id": "Tahapan {key!r} tidak ada; yang ada: {expected}.",
        "en": "No phase {key!r}; the phases are: {expected}.",
    },
    "phase.bad_cli_date": {
        "id": "Tanggal {value!r} tidak dikenali; tulis TTTT-BB-HH atau HH-BB-TTTT, mis. "
        "2024-11-27 atau 27-11-2024.",
        "en": "Date {value!r} is not understood; write YYYY-MM-DD or DD-MM-YYYY, e.g. "
        "2024-11-27 or 27-11-2024.",
    },
    "phase.compare_whole": {
        "id": "--compare membandingkan dua rencana untuk seluruh operasi; --phase dan --date "
        "tidak dapat dipakai bersamanya.",
        "en": "--compare compares two plans over the whole operation; --phase and --date "
        "cannot be used with it.",
    },
    "phase.not_list": {
        "id": "`phases` harus berupa daftar tabel ([[phases]]).",
        "en": "`phases` must be a list of tables ([[phases]]).",
    },
    "phase.not_table": {
        "id": "{where} harus berupa tabel dengan key, start dan end.",
        "en": "{where} must be a table with key, start and end.",
    },
    "phase.bad_key": {
        "id": "{where}: kunci tahapan {value!r} harus huruf kecil, angka atau _ (mis. kampanye).",
        "en": "{where}: phase key {value!r} must be lower-case letters, digits or _ (e.g. "
        "kampanye).",
    },
    "phase.unknown_key": {
        "id": "{where}: tahapan {key!r} bukan tahapan bawaan ({expected}); beri `name` untuk "
        "tahapan tambahan.",
        "en": "{where}: phase {key!r} is not a default phase ({expected}); give an added phase "
        "a `name`.",
    },
    "phase.bad_name": {
        "id": "{where}: `name` harus teks yang tidak kosong.",
        "en": "{where}: `name` must be non-empty text.",
    },
    "phase.bad_date": {
        "id": "`{key}` berisi {value!r}; seharusnya tanggal TTTT-BB-HH.",
        "en": "`{key}` has {value!r}; expected a date YYYY-MM-DD.",
    },
    "phase.duplicate": {
        "id": "Tahapan {key!r} tercantum lebih dari sekali.",
        "en": "Phase {key!r} is listed more than once.",
    },
    "phase.ends_before_start": {
        "id": "Tahapan {key!r} berakhir ({end}) sebelum dimulai ({start}).",
        "en": "Phase {key!r} ends ({end}) before it starts ({start}).",
    },
    "phase.order": {
        "id": "Tahapan {key!r} dimulai sebelum tahapan sebelumnya {previous!r}; urutkan "
        "[[phases]] menurut tanggal.",
        "en": "Phase {key!r} starts before the phase before it, {previous!r}; list [[phases]] "
        "in date order.",
    },
    "phase.overlap": {
        "id": "Tahapan {key!r} dimulai {day}, sebelum tahapan {previous!r} berakhir; tanggal "
        "tahapan tidak boleh tumpang tindih.",
        "en": "Phase {key!r} starts on {day}, before phase {previous!r} ends; phases must not "
        "overlap.",
    },
    "phase.import_unknown": {
        "id": "Baris {row}: `{column}` berisi {value!r}, bukan tahapan operasi ini ({expected}).",
        "en": "Row {row}: `{column}` has {value!r}, which is not a phase of this operation "
        "({expected}).",
    },
    "phase.unit_unknown": {
        "id": "Baris {row}: `{column}` berisi {value!r}, bukan satuan cadangan yang dikenal "
        "(Dalmas, Brimob, BKO Polda, Perintis); dikosongkan.",
        "en": "Row {row}: `{column}` has {value!r}, not a known reserve unit (Dalmas, Brimob, "
        "Polda backup, Perintis); left empty.",
    },
    "phase.bad_unit": {
        "id": "Pos {name!r}: satuan {value!r} tidak dikenal; yang ada: {expected}.",
        "en": "Post {name!r}: unit {value!r} is not known; the units are: {expected}.",
    },
    "phase.unit_not_reserve": {
        "id": "Pos {name!r}: satuan (Dalmas, Brimob, BKO Polda, Perintis) hanya untuk pasukan "
        "cadangan; pilih jenis Pasukan cadangan atau kosongkan satuannya.",
        "en": "Post {name!r}: a unit (Dalmas, Brimob, Polda backup, Perintis) is for a reserve "
        "only; choose the type Reserve unit or leave the unit empty.",
    },
    "phase.fix_values": {
        "id": "Tulis kunci tahapan dipisah titik koma, mis. `kampanye;masa_tenang`.",
        "en": "Write phase keys separated by semicolons, e.g. `kampanye;masa_tenang`.",
    },
    "metric.of": {"id": "{covered} dari {total}", "en": "{covered} of {total}"},
    "app.uncovered_table": {"id": "TPS di luar jangkauan", "en": "Polling stations not covered"},
    "app.uncovered_csv": {
        "id": "Unduh TPS di luar jangkauan (CSV)",
        "en": "Download polling stations not covered (CSV)",
    },
    "app.uncovered_hint": {
        "id": "Pilih satu baris untuk menampilkan TPS itu di peta.",
        "en": "Select a row to show that polling station on the map.",
    },
    "app.no_tps": {
        "id": "Belum ada TPS dalam operasi ini.",
        "en": "This operation has no polling stations yet.",
    },
    "app.none_uncovered": {
        "id": "Semua TPS terjangkau.",
        "en": "Every polling station is covered.",
    },
    "app.selected": {"id": "Lokasi terpilih", "en": "Selected site"},
    "app.click_hint": {
        "id": "Klik lokasi di peta, cari dengan kaca pembesar, atau pilih baris TPS di luar "
        "jangkauan untuk melihat rinciannya.",
        "en": "Click a site on the map, search with the magnifier, or select a row of the "
        "uncovered list to see its details.",
    },
    "app.download_brief": {"id": "Unduh briefing (HTML)", "en": "Download briefing (HTML)"},
    "app.download_brief_zip": {
        "id": "Unduh briefing + daftar lengkap (ZIP: HTML dan CSV)",
        "en": "Download briefing + full lists (ZIP: HTML and CSV)",
    },
    "app.brief_online": {
        "id": "Sertakan peta dasar daring (berkas akan menghubungi server peta saat dibuka)",
        "en": "Include the online basemap (the file will contact the tile server when opened)",
    },
    "app.brief_paper": {"id": "Ukuran kertas", "en": "Paper size"},
    "app.choose": {"id": "Pilih", "en": "Choose"},
    # --- editing the plan on the map (pages/map_page.py, layers/plan_edit.py)
    "edit.mode": {"id": "Peta", "en": "Map"},
    "edit.mode.view": {"id": "Lihat", "en": "View"},
    "edit.mode.edit": {"id": "Ubah pos & zona", "en": "Edit posts & zones"},
    "edit.mode.add": {"id": "Tambah pos", "en": "Add post"},
    "edit.hint.edit": {
        "id": "Geser pos untuk memindahkannya; klik pos untuk mengubah atau menghapusnya. "
        "Gambar zona dengan alat di kiri peta.",
        "en": "Drag a post to move it; click a post to change or delete it. Draw zones with "
        "the tools on the left of the map.",
    },
    "edit.hint.add": {
        "id": "Klik di peta tempat pos baru akan didirikan.",
        "en": "Click the map where the new post goes.",
    },
    "edit.drag_hint": {"id": "Geser untuk memindahkan", "en": "Drag to move"},
    "edit.new_post": {"id": "Pos baru", "en": "New post"},
    "edit.post_type": {"id": "Jenis pos", "en": "Post type"},
    "edit.post_name": {"id": "Nama pos", "en": "Post name"},
    "edit.personnel": {"id": "Personel", "en": "Personnel"},
    "edit.own_radius": {
        "id": "Radius sendiri (m, 0 = radius jenis pos)",
        "en": "Own radius (m, 0 = the post type's radius)",
    },
    "edit.unit": {"id": "Satuan cadangan", "en": "Reserve unit"},
    "edit.unit_none": {"id": "– (bukan cadangan)", "en": "– (not a reserve)"},
    "edit.unit_help": {
        "id": "Hanya untuk pos berjenis Pasukan cadangan: Dalmas, Brimob, BKO Polda atau Tim "
        "Perintis.",
        "en": "For a post of type Reserve unit only: Dalmas, Brimob, Polda backup or Perintis.",
    },
    "edit.phases": {"id": "Tahapan pos", "en": "Phases of the post"},
    "edit.phases_all": {"id": "Semua tahapan", "en": "Every phase"},
    "edit.phases_help": {
        "id": "Pos hanya ada (peta, angka, kebutuhan personel) pada tahapan yang dipilih; "
        "kosong: semua tahapan.",
        "en": "The post exists (map, figures, staffing) in the phases chosen only; none "
        "chosen: every phase.",
    },
    "edit.add": {"id": "Tambahkan pos", "en": "Add the post"},
    "edit.cancel": {"id": "Batal", "en": "Cancel"},
    "edit.apply": {"id": "Terapkan", "en": "Apply"},
    "edit.delete_post": {"id": "Hapus pos ini", "en": "Delete this post"},
    "edit.name_needed": {"id": "Isi nama pos.", "en": "Give the post a name."},
    "edit.new_zone": {"id": "Zona baru", "en": "New zone"},
    "edit.zone_kind": {"id": "Jenis zona", "en": "Zone kind"},
    "edit.zone_name": {"id": "Nama zona", "en": "Zone name"},
    "edit.zone_radius": {"id": "Radius ring (m)", "en": "Ring radius (m)"},
    "edit.add_zone": {"id": "Simpan zona", "en": "Keep the zone"},
    "edit.zones": {"id": "Zona rencana", "en": "Plan zones"},
    "edit.gained_lost": {
        "id": "Perubahan terakhir: {gained} TPS jadi terjangkau, {lost} TPS lepas.",
        "en": "Last edit: {gained} TPS now covered, {lost} TPS lost.",
    },
    "edit.tool.polygon": {"id": "Gambar zona (poligon)", "en": "Draw a zone (polygon)"},
    "edit.tool.rectangle": {"id": "Gambar zona (persegi)", "en": "Draw a zone (rectangle)"},
    "edit.tool.circle": {"id": "Gambar ring steril (lingkaran)", "en": "Draw a sterile ring"},
    "edit.tool.cancel": {"id": "Batal", "en": "Cancel"},
    "edit.tool.finish": {"id": "Selesai", "en": "Finish"},
    "edit.tool.undo": {"id": "Hapus titik terakhir", "en": "Delete last point"},
    "edit.tool.edit": {"id": "Ubah zona", "en": "Edit zones"},
    "edit.tool.none": {"id": "Belum ada zona", "en": "No zones yet"},
    "edit.tool.remove": {"id": "Hapus zona", "en": "Delete zones"},
    "edit.tool.save": {"id": "Simpan", "en": "Save"},
    "edit.tool.clear": {"id": "Hapus semua", "en": "Clear all"},
    # --- the plans panel (pages/plans_panel.py)
    "panel.plan": {"id": "Rencana", "en": "Plan"},
    "panel.shows": {
        "id": "Peta menampilkan **{name}** ({status}){current}",
        "en": "The map shows **{name}** ({status}){current}",
    },
    "panel.current_mark": {"id": " · rencana berlaku", "en": " · current plan"},
    "panel.unsaved": {"id": "Perubahan belum disimpan", "en": "Unsaved changes"},
    "panel.view_only": {
        "id": "Tampilan saja — tidak dapat disimpan",
        "en": "View only — cannot be saved",
    },
    "panel.save": {"id": "Simpan rencana", "en": "Save plan"},
    "panel.save_now": {"id": "Simpan sekarang", "en": "Save now"},
    "panel.discard": {"id": "Buang perubahan", "en": "Discard changes"},
    "panel.saved": {
        "id": "Tersimpan: {name} versi {version}.",
        "en": "Saved: {name} version {version}.",
    },
    "panel.manage": {"id": "Kelola rencana", "en": "Manage plans"},
    "panel.new_name": {"id": "Nama rencana baru", "en": "New plan's name"},
    "panel.new_empty": {"id": "Rencana kosong baru", "en": "New empty plan"},
    "panel.new_copy": {"id": "Salin rencana ini", "en": "Copy this plan"},
    "panel.rename": {"id": "Ganti nama", "en": "Rename"},
    "panel.status": {"id": "Status", "en": "Status"},
    "panel.set_status": {"id": "Ubah status", "en": "Set status"},
    "panel.make_current": {"id": "Jadikan rencana berlaku", "en": "Make it the current plan"},
    "panel.history": {"id": "Riwayat rencana", "en": "Plan history"},
    "panel.rollback_to": {"id": "Kembalikan ke versi", "en": "Roll back to version"},
    "panel.rollback_confirm": {
        "id": "Ya, kembalikan rencana ini ke versi {version} (tersimpan sebagai versi baru)",
        "en": "Yes, roll this plan back to version {version} (saved as a new version)",
    },
    "panel.rollback": {"id": "Kembalikan", "en": "Roll back"},
    "panel.save_first": {
        "id": "Simpan atau buang perubahan dulu.",
        "en": "Save or discard the changes first.",
    },
    "panel.conflict_reload": {"id": "Muat rencana tersimpan", "en": "Reload the saved plan"},
    "panel.conflict_new": {
        "id": "Simpan perubahan saya sebagai rencana baru",
        "en": "Save my changes as a new plan",
    },
    "panel.copy_name": {"id": "{name} (salinan)", "en": "{name} (copy)"},
    "panel.col.version": {"id": "Versi", "en": "Version"},
    "panel.col.saved_at": {"id": "Waktu", "en": "Time"},
    "panel.col.saved_by": {"id": "Oleh", "en": "By"},
    "panel.col.action": {"id": "Tindakan", "en": "Action"},
    "panel.col.note": {"id": "Catatan", "en": "Note"},
    # --- sign-in, roles and accounts (geo.access, geo.accounts, geo.deployment, pages.signin)
    "access.denied": {
        "id": "{who} ({role}) tidak berwenang untuk {action}.",
        "en": "{who} ({role}) is not allowed to {action}.",
    },
    "access.denied_operation": {
        "id": "{who} ({role}) tidak berwenang untuk {action} pada operasi {operation!r}. "
        "Minta admin memberi akses bila diperlukan.",
        "en": "{who} ({role}) is not allowed to {action} in operation {operation!r}. "
        "Ask an admin for access if you need it.",
    },
    "access.action.view": {"id": "melihat peta dan angka", "en": "view maps and figures"},
    "access.action.export": {
        "id": "mengunduh briefing atau CSV",
        "en": "download the briefing or a CSV",
    },
    "access.action.import": {
        "id": "mengimpor atau memulihkan daftar lokasi dan wilayah",
        "en": "import or restore site lists and areas",
    },
    "access.action.plan": {"id": "mengubah rencana", "en": "change plans"},
    "access.action.suggest": {
        "id": "menjalankan usulan pos dan menyimpan drafnya",
        "en": "run post suggestions and save their draft",
    },
    "access.action.audit": {"id": "membaca catatan audit", "en": "read the audit log"},
    "access.action.admin": {
        "id": "mengelola pengguna, akses dan operasi",
        "en": "manage users, grants and operations",
    },
    "access.no_operation": {
        "id": "Belum ada operasi yang dapat Anda buka. Minta admin memberi akses ke operasi "
        "satuan Anda.",
        "en": "There is no operation you may open yet. Ask an admin to grant you your unit's "
        "operation.",
    },
    "access.page_refused": {
        "id": "Halaman ini tidak tersedia untuk peran Anda.",
        "en": "This page is not available to your role.",
    },
    "signin.title": {"id": "Masuk ke Posko", "en": "Sign in to Posko"},
    "signin.lead": {
        "id": "Data operasi bersifat TERBATAS. Masuk dengan akun Anda untuk melanjutkan.",
        "en": "Operation data is RESTRICTED. Sign in with your account to continue.",
    },
    "signin.name": {"id": "Nama pengguna", "en": "User name"},
    "signin.password": {"id": "Kata sandi", "en": "Password"},
    "signin.submit": {"id": "Masuk", "en": "Sign in"},
    "signin.sso": {
        "id": "Masuk dengan akun satuan (SSO)",
        "en": "Sign in with your unit account (SSO)",
    },
    "signin.wrong": {
        "id": "Nama pengguna atau kata sandi salah.",
        "en": "Wrong user name or password.",
    },
    "signin.disabled": {
        "id": "Akun {name!r} dinonaktifkan. Hubungi admin.",
        "en": "Account {name!r} is disabled. Contact an admin.",
    },
    "signin.locked": {
        "id": "Terlalu banyak percobaan salah: akun dikunci sampai {until}.",
        "en": "Too many wrong attempts: the account is locked until {until}.",
    },
    "signin.expired": {
        "id": "Sesi Anda telah berakhir. Silakan masuk kembali.",
        "en": "Your session has ended. Please sign in again.",
    },
    "signin.signed_in_as": {
        "id": "Masuk sebagai **{name}** · {role}",
        "en": "Signed in as **{name}** · {role}",
    },
    "signin.sign_out": {"id": "Keluar", "en": "Sign out"},
    "signin.first_admin": {"id": "Buat akun admin pertama", "en": "Create the first admin account"},
    "signin.first_admin_lead": {
        "id": "Belum ada admin. Buat akun admin pertama di komputer ini; setelah itu setiap "
        "pengguna masuk dengan akunnya sendiri.",
        "en": "There is no admin yet. Create the first admin account on this computer; after "
        "that every user signs in with their own account.",
    },
    "signin.password_again": {"id": "Ulangi kata sandi", "en": "Password again"},
    "signin.create": {"id": "Buat admin dan masuk", "en": "Create admin and sign in"},
    "signin.passwords_differ": {
        "id": "Kedua kata sandi tidak sama.",
        "en": "The two passwords differ.",
    },
    "signin.no_admin_remote": {
        "id": "Belum ada admin. Buat akun admin pertama di server: "
        "`posko user add NAMA --role admin`.",
        "en": "There is no admin yet. Create the first admin account on the server: "
        "`posko user add NAME --role admin`.",
    },
    "signin.off_remote": {
        "id": "Tanpa login, Posko hanya melayani komputer ini (127.0.0.1). Aktifkan login "
        "di posko.toml.",
        "en": "With sign-in off, Posko serves only this computer (127.0.0.1). Switch sign-in "
        "on in posko.toml.",
    },
    "signin.oidc_no_role": {
        "id": "Akun SSO {name!r} tidak membawa peran Posko yang sah (klaim {claim!r}: {value!r}; "
        "yang diharapkan: {expected}). Hubungi admin.",
        "en": "SSO account {name!r} carries no valid Posko role (claim {claim!r}: {value!r}; "
        "expected one of: {expected}). Contact an admin.",
    },
    "signin.settings_invalid": {
        "id": "Pengaturan login tidak sah: {problems}",
        "en": "The sign-in settings are invalid: {problems}",
    },
    "signin.settings_positive": {
        "id": "`{name}` harus lebih dari 0.",
        "en": "`{name}` must be more than 0.",
    },
    "signin.settings_argon2_memory": {
        "id": "`argon2_memory_kib` bernilai {kib}; argon2 memerlukan paling sedikit {least} "
        "(8 KiB per `argon2_parallelism`).",
        "en": "`argon2_memory_kib` is {kib}; argon2 needs at least {least} "
        "(8 KiB per `argon2_parallelism`).",
    },
    "signin.settings_claim": {
        "id": "`{name}` tidak boleh kosong.",
        "en": "`{name}` must not be empty.",
    },
    "signin.settings_unreadable": {
        "id": "Pengaturan {path} tidak dapat dibaca: {reason}",
        "en": "Settings {path} cannot be read: {reason}",
    },
    "signin.settings_unknown": {
        "id": "Pengaturan {path}: kunci [sign_in] tidak dikenal: {keys}.",
        "en": "Settings {path}: unknown [sign_in] keys: {keys}.",
    },
    "signin.settings_value": {
        "id": "Pengaturan {path}: `{name}` bernilai {value}, tidak sah. {expected}",
        "en": "Settings {path}: `{name}` is {value}, which is not valid. {expected}",
    },
    "user.bad_name": {
        "id": "Nama pengguna {name!r} tidak sah: gunakan huruf, angka dan . _ @ - (maks. 64).",
        "en": "User name {name!r} is not valid: use letters, digits and . _ @ - (at most 64).",
    },
    "user.bad_operation": {
        "id": "Nama operasi {operation!r} tidak sah.",
        "en": "Operation name {operation!r} is not valid.",
    },
    "user.exists": {"id": "Pengguna {name!r} sudah ada.", "en": "User {name!r} already exists."},
    "user.unknown": {"id": "Tidak ada pengguna {name!r}.", "en": "There is no user {name!r}."},
    "user.no_grant": {
        "id": "Pengguna {name!r} tidak memiliki akses ke {operation!r}.",
        "en": "User {name!r} has no grant for {operation!r}.",
    },
    "user.last_admin": {
        "id": "{name!r} adalah admin aktif terakhir; tambahkan admin lain sebelum "
        "menonaktifkannya.",
        "en": "{name!r} is the last enabled admin; add another admin before disabling it.",
    },
    "user.password_short": {
        "id": "Kata sandi minimal {n} karakter.",
        "en": "A password needs at least {n} characters.",
    },
    "user.added": {
        "id": "Pengguna {name!r} ditambahkan ({role}).",
        "en": "User {name!r} added ({role}).",
    },
    "user.password_set": {
        "id": "Kata sandi {name!r} diganti.",
        "en": "Password of {name!r} changed.",
    },
    "user.disabled": {"id": "Pengguna {name!r} dinonaktifkan.", "en": "User {name!r} disabled."},
    "user.enabled": {"id": "Pengguna {name!r} diaktifkan.", "en": "User {name!r} enabled."},
    "user.granted": {
        "id": "{name!r} kini berwenang atas operasi {operation!r}.",
        "en": "{name!r} may now act on operation {operation!r}.",
    },
    "user.revoked": {
        "id": "Akses {name!r} ke operasi {operation!r} dicabut.",
        "en": "Grant of {operation!r} taken back from {name!r}.",
    },
    "user.state_disabled": {"id": "nonaktif", "en": "disabled"},
    "user.state_locked": {"id": "terkunci s.d. {until}", "en": "locked until {until}"},
    "cli.as_password": {
        "id": "Kata sandi {name}",
        "en": "Password of {name}",
    },
    "access.cli_unknown": {
        "id": "Posko bertindak sebagai {name!r} (--as, ${env} atau nama pengguna sistem Anda), "
        "tetapi akun itu tidak ada. Pilih akun dengan --as NAMA, atau minta admin membuatnya: "
        "posko user add {name} --role ….",
        "en": "Posko acts as {name!r} (--as, ${env} or your OS user name), but there is no "
        "such account. Choose one with --as NAME, or ask an admin to add it: "
        "posko user add {name} --role ….",
    },
    "signin.serve_off": {
        "id": "Posko tidak mau melayani alamat {address} tanpa login: aktifkan login "
        "([sign_in] method di posko.toml) atau gunakan 127.0.0.1.",
        "en": "Posko will not serve address {address} with sign-in off: switch sign-in on "
        "([sign_in] method in posko.toml) or use 127.0.0.1.",
    },
    "signin.serve_no_admin": {
        "id": "Posko tidak mau melayani alamat {address} sebelum ada admin: buat dulu dengan "
        "posko user add NAMA --role admin.",
        "en": "Posko will not serve address {address} before an admin exists: add one first "
        "with posko user add NAME --role admin.",
    },
    "preset.typical_2024": {"id": "Umum 2024", "en": "Typical 2024"},
    "preset.mabes_2019": {"id": "Mabes Polri 2019", "en": "Mabes Polri 2019"},
    "preset.belitung_2024": {
        "id": "Polres Belitung 2024 (hemat)",
        "en": "Polres Belitung 2024 (lean)",
    },
    "app.covering_posts": {"id": "Pos yang menjangkau", "en": "Posts within reach"},
    "col.site_id": {"id": "ID", "en": "ID"},
    "col.name": {"id": "Nama", "en": "Name"},
    "col.tps_no": {"id": "No. TPS", "en": "TPS no."},
    "col.kelurahan": {"id": "Kelurahan", "en": "Kelurahan"},
    "col.kecamatan": {"id": "Kecamatan", "en": "Kecamatan"},
    "col.address": {"id": "Alamat", "en": "Address"},
    "col.risk": {"id": "Kerawanan", "en": "Risk class"},
    "col.voters": {"id": "Pemilih", "en": "Voters"},
    "col.indicators": {"id": "Indikator kerawanan", "en": "Risk indicators"},
    "col.phases": {"id": "Tahapan", "en": "Phases"},
    "col.unit": {"id": "Satuan cadangan", "en": "Reserve unit"},
    "col.position": {"id": "Posisi", "en": "Position"},
    "col.nearest_post": {"id": "Pos terdekat", "en": "Nearest post"},
    "col.distance_m": {"id": "Jarak (m)", "en": "Distance (m)"},
    "col.distance": {"id": "Jarak", "en": "Distance"},
    "col.tps_reached": {"id": "TPS dalam jangkauan", "en": "TPS within reach"},
    "col.catchment": {"id": "TPS terdekat ke pos ini", "en": "TPS nearest to this post"},
    "col.kind": {"id": "Jenis", "en": "Kind"},
    "col.location_quality": {"id": "Kualitas lokasi", "en": "Location quality"},
    "col.post_type": {"id": "Jenis pos", "en": "Post type"},
    "col.personnel": {"id": "Personel", "en": "Personnel"},
    "col.post": {"id": "Pos", "en": "Post"},
    "col.threatened": {"id": "Gedung terancam (jarak)", "en": "Building threatened (distance)"},
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
    "app.unexpected": {
        "id": "Terjadi kesalahan tak terduga (kode {code}). Tidak ada data yang berubah karenanya. "
        "Muat ulang halaman; bila berulang, laporkan kode ini kepada admin.",
        "en": "An unexpected error occurred (code {code}). No data was changed by it. Reload "
        "the page; if it happens again, report this code to the administrator.",
    },
    "app.recovery": {
        "id": "Riwayat versi dan pemulihan tetap tersedia di bawah ini.",
        "en": "The version history and restoring stay available below.",
    },
    "app.recovery_confirm": {
        "id": "Saya setuju memulihkan versi {version} ({sites} lokasi) sebagai versi terbaru.",
        "en": "I confirm restoring version {version} ({sites} sites) as the newest version.",
    },
    "app.backups": {"id": "Cadangan ruang kerja: {files}", "en": "Workspace backups: {files}"},
    # --- operation loading: settings file, folder, sites
    "settings.invalid": {
        "id": "Pengaturan tidak sah: {problems}",
        "en": "Invalid settings: {problems}",
    },
    "settings.file": {
        "id": "Berkas pengaturan {file!r}: {error}",
        "en": "Settings file {file!r}: {error}",
    },
    "settings.file_missing": {
        "id": "Berkas pengaturan {file!r} tidak ditemukan; folder operasi memerlukan "
        "`operation.toml`.",
        "en": "Settings file {file!r} not found; an operation folder needs `operation.toml`.",
    },
    "settings.bad_toml": {
        "id": "Berkas pengaturan {file!r} bukan TOML yang sah: {reason}.",
        "en": "Settings file {file!r} is not valid TOML: {reason}.",
    },
    "settings.title_empty": {
        "id": "`operation.title` tidak boleh kosong.",
        "en": "`operation.title` must not be empty.",
    },
    "settings.not_text": {
        "id": "`{key}` berisi {value!r}; seharusnya teks.",
        "en": "`{key}` is {value!r}; expected a text.",
    },
    "settings.language": {
        "id": "`operation.language` berisi {value!r}; seharusnya salah satu dari: {expected}.",
        "en": "`operation.language` is {value!r}; expected one of: {expected}.",
    },
    "settings.time_zone": {
        "id": "`operation.time_zone` berisi {value!r}; seharusnya salah satu dari: {expected} "
        "(WIB UTC+7, WITA UTC+8, WIT UTC+9).",
        "en": "`operation.time_zone` is {value!r}; expected one of: {expected} "
        "(WIB UTC+7, WITA UTC+8, WIT UTC+9).",
    },
    "settings.unknown_key": {
        "id": "Kunci `{key}` tidak dikenal; seharusnya salah satu dari: {expected}.",
        "en": "Unknown key `{key}`; expected one of: {expected}.",
    },
    "settings.not_table": {
        "id": "`{key}` harus berupa tabel ([{key}]).",
        "en": "`{key}` must be a table ([{key}]).",
    },
    "settings.not_subtable": {
        "id": "`{key}` harus berupa tabel.",
        "en": "`{key}` must be a table.",
    },
    "settings.radius_missing": {
        "id": "`{key}` tidak ada.",
        "en": "`{key}` is missing.",
    },
    "settings.radius_bad": {
        "id": "`{key}` berisi {value!r}; seharusnya angka meter di atas 0 dan paling banyak "
        "{limit}.",
        "en": "`{key}` is {value!r}; expected a number of metres above 0 and at most {limit}.",
    },
    "settings.unknown_post_type": {
        "id": "`radius_m` berisi jenis pos {value!r} yang tidak dikenal; seharusnya salah satu "
        "dari: {expected}.",
        "en": "`radius_m` has unknown post type {value!r}; expected one of: {expected}.",
    },
    "settings.share": {
        "id": "`{key}` berisi {value!r}; seharusnya bagian antara 0 dan 1.",
        "en": "`{key}` is {value!r}; expected a share between 0 and 1.",
    },
    "settings.rings_positive": {
        "id": "`ring_zones_m` berisi {value!r}; seharusnya meter positif.",
        "en": "`ring_zones_m` is {value!r}; expected positive metres.",
    },
    "settings.rings_increasing": {
        "id": "`ring_zones_m` berisi {value!r}; radius seharusnya makin besar.",
        "en": "`ring_zones_m` is {value!r}; expected increasing radii.",
    },
    "settings.positive": {
        "id": "`{key}` berisi {value!r}; seharusnya angka di atas 0.",
        "en": "`{key}` is {value!r}; expected a number above 0.",
    },
    "settings.metres_positive": {
        "id": "`{key}` berisi {value!r}; seharusnya meter di atas 0.",
        "en": "`{key}` is {value!r}; expected metres above 0.",
    },
    "settings.count": {
        "id": "`{key}` berisi {value!r}; seharusnya bilangan bulat 1 atau lebih.",
        "en": "`{key}` is {value!r}; expected a whole number, 1 or more.",
    },
    "settings.unknown_indicator": {
        "id": "`{key}` berisi {value!r}; seharusnya daftar ID indikator dari: {expected}.",
        "en": "`{key}` has {value!r}; expected a list of indicator ids from: {expected}.",
    },
    "settings.rule_order": {
        "id": "`risk_rule.rawan_at` ({rawan}) lebih besar dari `risk_rule.sangat_rawan_at` "
        "({sangat}); ambang rawan harus sama atau lebih kecil.",
        "en": "`risk_rule.rawan_at` ({rawan}) is larger than `risk_rule.sangat_rawan_at` "
        "({sangat}); the rawan threshold must be the same or smaller.",
    },
    "settings.metres_or_zero": {
        "id": "`{key}` berisi {value!r}; seharusnya meter, 0 atau lebih.",
        "en": "`{key}` is {value!r}; expected metres, 0 or more.",
    },
    "settings.weight": {
        "id": "`{key}` berisi {value!r}; seharusnya angka, 0 atau lebih.",
        "en": "`{key}` is {value!r}; expected a number, 0 or more.",
    },
    "settings.unknown_risk": {
        "id": "`coverage.risk_weights` berisi kelas kerawanan {value!r} yang tidak dikenal; "
        "seharusnya salah satu dari: {expected}.",
        "en": "`coverage.risk_weights` has unknown risk class {value!r}; expected one of: "
        "{expected}.",
    },
    "settings.preset_base": {
        "id": "`{key}` memerlukan setidaknya `kurang_rawan`.",
        "en": "`{key}` needs at least `kurang_rawan`.",
    },
    "settings.min_polri": {
        "id": "`{key}` berisi {value!r}; seharusnya 1 atau lebih.",
        "en": "`{key}` is {value!r}; expected 1+.",
    },
    "settings.group_shape": {
        "id": "`{key}` berisi {value!r}; seharusnya {{ polri = …, tps = …, linmas = … }}.",
        "en": "`{key}` is {value!r}; expected {{ polri = …, tps = …, linmas = … }}.",
    },
    "settings.group_numbers": {
        "id": "`{key}` berisi {value!r}; seharusnya bilangan bulat, 0 atau lebih.",
        "en": "`{key}` is {value!r}; expected whole numbers, 0 or more.",
    },
    "settings.group_tps": {
        "id": "`{key}.tps` harus paling sedikit 1.",
        "en": "`{key}.tps` must be at least 1.",
    },
    "settings.unknown_preset": {
        "id": "Pola pengamanan {name!r} tidak dikenal; seharusnya salah satu dari: {expected}.",
        "en": "Staffing preset {name!r} is unknown; expected one of: {expected}.",
    },
    "operation.not_found": {
        "id": "Operasi {name!r} tidak ditemukan: sebutkan foldernya atau salah satu dari: "
        "{expected}.",
        "en": "Operation {name!r} not found: give a folder or one of: {expected}.",
    },
    "operation.folder_missing": {
        "id": "Folder operasi {folder!r} tidak ditemukan.",
        "en": "Operation folder {folder!r} not found.",
    },
    "operation.no_sites": {
        "id": "Operasi ini belum memiliki lokasi (TPS, pos, gedung), jadi belum ada angka "
        "cakupan. Impor daftar lokasi untuk memulai.",
        "en": "This operation has no sites yet (polling stations, posts, buildings), so there "
        "are no coverage figures. Import a site list to start.",
    },
    "operation.layer_missing": {
        "id": "Lapisan {file!r} tidak ada di folder operasi.",
        "en": "Layer {file!r} not found in the operation folder.",
    },
    "guard.nothing_changes": {
        "id": "Tidak ada yang berubah: {rows} baris sama dengan lokasi yang sudah ada di operasi, "
        "jadi tidak ada versi baru yang disimpan.",
        "en": "Nothing changes: the {rows} row(s) match sites already in the operation, so no "
        "new version is saved.",
    },
    "guard.import_unconfirmed": {
        "id": "Impor ini mengganti atau menghapus lebih dari {share} lokasi satu jenis "
        "({changes}); konfirmasi dulu secara tegas. Belum ada yang disimpan.",
        "en": "This import replaces or removes more than {share} of one kind's sites "
        "({changes}); confirm it explicitly first. Nothing was saved.",
    },
    "guard.areas_nothing_changes": {
        "id": "Tidak ada yang berubah: {areas} wilayah sama dengan batas wilayah operasi, jadi "
        "tidak ada versi baru yang disimpan.",
        "en": "Nothing changes: the {areas} area(s) equal the operation's boundaries, so no new "
        "version is saved.",
    },
    "guard.areas_unconfirmed": {
        "id": "Impor ini mengganti seluruh tingkat wilayah ({levels}); konfirmasi dulu secara "
        "tegas. Belum ada yang disimpan.",
        "en": "This import replaces whole area levels ({levels}); confirm it explicitly first. "
        "Nothing was saved.",
    },
    "guard.rollback_unconfirmed": {
        "id": "Pemulihan versi {version} mengganti semua lokasi operasi; konfirmasi dulu secara "
        "tegas. Belum ada yang disimpan.",
        "en": "Restoring version {version} replaces every site of the operation; confirm it "
        "explicitly first. Nothing was saved.",
    },
    "operation.layer_unreadable": {
        "id": "Lapisan {file!r} tidak dapat dibaca: {reason}",
        "en": "Layer {file!r} cannot be read: {reason}",
    },
    "operation.roads_broken": {
        "id": "Berkas jalan operasi {operation} ({file}) tidak dapat dipakai: {reason} "
        "Ganti dengan posko roads set {operation} BERKAS, atau hapus dengan posko roads "
        "remove {operation} agar jalur dan waktu tiba dihitung dengan garis lurus.",
        "en": "The road file of operation {operation} ({file}) cannot be used: {reason} "
        "Replace it with posko roads set {operation} FILE, or remove it with posko roads "
        "remove {operation} to have legs and arrival times worked out in straight lines.",
    },
    "operation.areas_invalid": {
        "id": "Batas wilayah {file!r}: {n} baris tidak dapat dibaca sebagai wilayah: {problems}",
        "en": "Boundaries {file!r}: {n} row(s) cannot be read as areas: {problems}",
    },
    "sites.invalid": {
        "id": "{n} masalah pada data lokasi: {problems}",
        "en": "{n} problem(s) in the sites: {problems}",
    },
    "sites.row": {"id": "baris {row}", "en": "row {row}"},
    "sites.no_id": {
        "id": "Baris {row} tidak punya `site_id`.",
        "en": "Row {row} has no `site_id`.",
    },
    "sites.duplicate_id": {
        "id": "`site_id` {id!r} dipakai lebih dari sekali.",
        "en": "`site_id` {id!r} is used more than once.",
    },
    "sites.bad_value": {
        "id": "Kolom `{column}` berisi {value!r} pada lokasi {site}; seharusnya salah satu dari: "
        "{expected}.",
        "en": "Column `{column}` has {value!r} in site {site}; expected one of: {expected}.",
    },
    "sites.bad_point": {
        "id": "Lokasi {site} memerlukan titik dengan bujur -180..180 dan lintang -90..90.",
        "en": "Site {site} needs a point with longitude -180..180 and latitude -90..90.",
    },
    # --- command line output (posko coverage, staffing, history, rollback, brief)
    "cli.bad_radius": {
        "id": "--radius {value!r}: seharusnya TYPE=METRES dengan TYPE salah satu dari: {expected}.",
        "en": "--radius {value!r}: expected TYPE=METRES with TYPE one of: {expected}.",
    },
    "cli.bad_weight": {
        "id": "--weight {value!r}: seharusnya RISK=BOBOT dengan RISK salah satu dari: {expected}.",
        "en": "--weight {value!r}: expected RISK=WEIGHT with RISK one of: {expected}.",
    },
    "cli.file_size": {"id": "{file}: {size} bita", "en": "{file}: {size} bytes"},
    "cli.covered": {
        "id": "{covered} dari {total} terjangkau",
        "en": "{covered} of {total} covered",
    },
    "cli.uncovered": {
        "id": "{uncovered} tak terjangkau dari {total}",
        "en": "{uncovered} uncovered of {total}",
    },
    "cli.areas_saved": {
        "id": "batas wilayah disimpan sebagai versi {version} di {folder}",
        "en": "boundaries saved as version {version} in {folder}",
    },
    "cli.no_versions": {
        "id": "belum ada versi tersimpan (berkas operasi sendiri yang dipakai)",
        "en": "no saved version (the operation's own files are in use)",
    },
    "cli.sites": {"id": "{n} lokasi", "en": "{n} sites"},
    "cli.warning": {"id": "peringatan", "en": "warning"},
    "cli.by": {"id": "  oleh {who}", "en": "  by {who}"},
    "history.col.version": {"id": "Versi", "en": "Version"},
    "history.col.saved_at": {"id": "Disimpan", "en": "Saved"},
    "history.col.action": {"id": "Tindakan", "en": "Action"},
    "history.col.file_name": {"id": "Berkas", "en": "File"},
    "history.col.sites": {"id": "Lokasi", "en": "Sites"},
    "history.col.who": {"id": "Oleh", "en": "By"},
    "history.col.note": {"id": "Catatan", "en": "Note"},
    "history.action.initial": {"id": "awal", "en": "initial"},
    "history.action.import": {"id": "impor", "en": "import"},
    "history.action.rollback": {"id": "pemulihan", "en": "rollback"},
    "history.action.areas": {"id": "batas wilayah", "en": "boundaries"},
    "history.note.merge": {
        "id": "tambah/perbarui lewat pencocokan",
        "en": "add/update by matching",
    },
    "history.note.replace": {"id": "ganti jenis lokasi", "en": "replace kinds"},
    "history.note.seed": {
        "id": "lokasi bawaan folder operasi",
        "en": "the operation folder's own sites",
    },
    "history.note.rollback": {
        "id": "pemulihan ke versi {version}",
        "en": "rollback to version {version}",
    },
    "history.note.areas": {"id": "batas wilayah: {levels}", "en": "boundaries: {levels}"},
    # --- plans (geo.plans): names, versions, what changed, refusals
    "plan.initial_name": {"id": "Rencana awal", "en": "Initial plan"},
    "plan.action.initial": {"id": "awal", "en": "initial"},
    "plan.action.create": {"id": "dibuat", "en": "created"},
    "plan.action.copy": {"id": "salinan", "en": "copy"},
    "plan.action.save": {"id": "simpan", "en": "save"},
    "plan.action.rename": {"id": "ganti nama", "en": "rename"},
    "plan.action.status": {"id": "status", "en": "status"},
    "plan.action.rollback": {"id": "pemulihan", "en": "rollback"},
    "plan.action.posts": {"id": "impor pos", "en": "posts import"},
    "plan.change.post_added": {
        "id": "pos {name} ditambahkan ({post_type})",
        "en": "added post {name} ({post_type})",
    },
    "plan.change.post_removed": {"id": "pos {name} dihapus", "en": "removed post {name}"},
    "plan.change.post_moved": {
        "id": "pos {name} dipindah {metres} m",
        "en": "moved post {name} by {metres} m",
    },
    "plan.change.post_edited": {
        "id": "pos {name} diubah: {fields}",
        "en": "edited post {name}: {fields}",
    },
    "plan.change.radius": {
        "id": "radius {post_type}: {before} → {after} m",
        "en": "radius of {post_type}: {before} → {after} m",
    },
    "plan.change.preset": {
        "id": "pola pengamanan: {before} → {after}",
        "en": "staffing preset: {before} → {after}",
    },
    "plan.change.preset_rows": {
        "id": "tabel pola pengamanan {preset} diubah",
        "en": "staffing table of {preset} edited",
    },
    "plan.change.min_polri": {
        "id": "minimal Polri per kelompok: {before} → {after}",
        "en": "minimum Polri per group: {before} → {after}",
    },
    "plan.change.weight": {
        "id": "bobot {risk}: {before} → {after}",
        "en": "weight of {risk}: {before} → {after}",
    },
    "plan.change.zone_added": {
        "id": "zona {name} ditambahkan ({kind})",
        "en": "added zone {name} ({kind})",
    },
    "plan.change.zone_removed": {
        "id": "zona {name} dihapus ({kind})",
        "en": "removed zone {name} ({kind})",
    },
    "plan.change.zone_edited": {
        "id": "zona {name} diubah ({kind})",
        "en": "edited zone {name} ({kind})",
    },
    "plan.change.renamed": {
        "id": "nama diganti: {before} → {after}",
        "en": "renamed: {before} → {after}",
    },
    "plan.change.status": {"id": "status menjadi {status}", "en": "status set to {status}"},
    "plan.change.copied": {"id": "salinan dari {name}", "en": "copy of {name}"},
    "plan.change.rollback": {
        "id": "pemulihan ke versi {version}",
        "en": "rollback to version {version}",
    },
    "plan.change.initial": {
        "id": "pos hasil impor dan pengaturan operasi",
        "en": "the imported posts and the operation's settings",
    },
    "plan.change.posts_applied": {
        "id": "daftar pos dari berkas {file}",
        "en": "posts from file {file}",
    },
    "plan.import_keeps_posts": {
        "id": "Catatan: rencana yang sudah disimpan memakai daftar posnya sendiri; impor pos ini "
        "mengubah daftar pos operasi, bukan rencana. Untuk memakai berkas ini dalam rencana: "
        "posko plan apply-posts (atau panel Rencana).",
        "en": "Note: saved plans keep their own posts; this import changes the operation's "
        "post list, not the plans. To use this file in a plan: posko plan apply-posts (or "
        "the Plans panel).",
    },
    "cli.plan.implicit": {
        "id": "(pos hasil impor dan pengaturan operasi; belum disimpan sebagai rencana)",
        "en": "(the imported posts and the operation's settings; not saved as a plan yet)",
    },
    "cli.plan.created": {
        "id": "rencana {name!r} disimpan ({plan_id})",
        "en": "plan {name!r} saved ({plan_id})",
    },
    "cli.plan.saved": {
        "id": "rencana {name!r} disimpan sebagai versi {version}",
        "en": "plan {name!r} saved as version {version}",
    },
    "cli.plan.status_set": {
        "id": "status rencana {name!r}: {status} (versi {version})",
        "en": "plan {name!r} status: {status} (version {version})",
    },
    "cli.plan.made_current": {
        "id": "rencana {name!r} kini rencana aktif",
        "en": "plan {name!r} is now the current plan",
    },
    "cli.plan.current": {"id": "aktif", "en": "current"},
    "cli.plan.rollback_dry_run": {
        "id": "Pemulihan rencana {name!r} ke versi {version} akan mengubah hal berikut. Belum "
        "ada yang disimpan; tambahkan --yes untuk memulihkan.",
        "en": "Restoring plan {name!r} to version {version} would change the following. "
        "Nothing was saved; add --yes to restore.",
    },
    "cli.plan.radii": {"id": "Radius", "en": "Radii"},
    "cli.plan.preset": {"id": "Pola pengamanan", "en": "Staffing preset"},
    "cli.plan.preset_edited": {"id": "tabel diubah", "en": "table edited"},
    "cli.plan.min_polri": {
        "id": "minimal {n} Polri per kelompok",
        "en": "at least {n} Polri per group",
    },
    "cli.plan.weights": {"id": "Bobot risiko", "en": "Risk weights"},
    "cli.plan.figures": {
        "id": "TPS terjangkau: {covered} dari {total}; Polri dibutuhkan: {polri}",
        "en": "TPS covered: {covered} of {total}; Polri needed: {polri}",
    },
    "cli.plan.posts": {"id": "Pos: {n}", "en": "Posts: {n}"},
    "cli.plan.zones": {"id": "Zona: {n}", "en": "Zones: {n}"},
    "cli.plan.zones_file": {
        "id": "{file}: bukan GeoJSON berisi zona (FeatureCollection).",
        "en": "{file}: not a GeoJSON of zones (FeatureCollection).",
    },
    "plan.not_found": {
        "id": "Tidak ada rencana {name!r} di operasi ini. Rencana yang ada: {plans}.",
        "en": "This operation has no plan {name!r}. Its plans: {plans}.",
    },
    "plan.name_empty": {
        "id": "Rencana perlu nama.",
        "en": "A plan needs a name.",
    },
    "plan.name_bad": {
        "id": "Nama rencana {name!r} tidak dapat dipakai: paling banyak {limit} karakter, "
        "tanpa karakter kendali.",
        "en": "Plan name {name!r} cannot be used: at most {limit} characters, no control "
        "characters.",
    },
    "plan.name_taken": {
        "id": "Nama {name!r} sudah dipakai rencana {other!r} (huruf besar/kecil dan spasi "
        "tidak dibedakan). Pilih nama lain.",
        "en": "The name {name!r} is already used by plan {other!r} (case and spaces are "
        "ignored). Choose another name.",
    },
    "plan.status_unknown": {
        "id": "Status rencana {value!r} tidak dikenal; seharusnya salah satu dari: {expected}.",
        "en": "Unknown plan status {value!r}; expected one of: {expected}.",
    },
    "plan.nothing_changes": {
        "id": "Tidak ada perubahan pada rencana {name!r}; tidak ada yang disimpan.",
        "en": "Plan {name!r} has no change; nothing was saved.",
    },
    "plan.already_current": {
        "id": "Rencana {name!r} sudah menjadi rencana aktif.",
        "en": "Plan {name!r} is the current plan already.",
    },
    "plan.rollback_unconfirmed": {
        "id": "Pemulihan ke versi {version} mengganti isi rencana (pos, radius, pola "
        "pengamanan, bobot, zona); konfirmasi dulu secara tegas. Belum ada yang disimpan.",
        "en": "Restoring version {version} replaces the plan's content (posts, radii, "
        "staffing preset, weights, zones); confirm it explicitly first. Nothing was saved.",
    },
    "plan.no_such_version": {
        "id": "Rencana ini tidak punya versi {version}; versi yang ada: {versions}.",
        "en": "The plan has no version {version}; its versions: {versions}.",
    },
    "plan.conflict": {
        "id": "Rencana {name!r} sudah disimpan sebagai versi {version} pada {saved_at} oleh "
        "{who}, setelah versi {base} yang Anda ubah. Tidak ada yang disimpan agar perubahan "
        "itu tidak hilang: muat ulang rencana itu, atau simpan perubahan Anda sebagai "
        "rencana baru.",
        "en": "Plan {name!r} was saved as version {version} at {saved_at} by {who}, after "
        "version {base} you changed. Nothing was saved, so that change is not lost: reload "
        "the plan, or save your changes as a new plan.",
    },
    "plan.unreadable": {
        "id": "Versi {version} rencana {plan} di ruang kerja {path!r} tidak dapat dibaca: {reason}",
        "en": "Version {version} of plan {plan} in workspace {path!r} cannot be read: {reason}",
    },
    "plan.preset_missing": {
        "id": "Rencana perlu pola pengamanan.",
        "en": "A plan needs a staffing preset.",
    },
    "plan.not_a_post": {
        "id": "Lokasi {site_id!r} ({kind}) bukan pos; rencana hanya memuat pos.",
        "en": "Site {site_id!r} ({kind}) is not a post; a plan holds posts only.",
    },
    "plan.post_not_found": {
        "id": "Rencana ini tidak punya pos {site_id!r} ({posts} pos).",
        "en": "The plan has no post {site_id!r} ({posts} posts).",
    },
    "plan.post_field": {
        "id": "Kolom pos {field} tidak dapat diubah di sini; yang dapat: {expected}.",
        "en": "Post field {field} cannot be changed here; these can: {expected}.",
    },
    "plan.post_value": {
        "id": "Pos {site_id!r}: `{column}` {value} tidak sah (angka ≥ 0; radius > 0 dan "
        "paling jauh 50 km).",
        "en": "Post {site_id!r}: `{column}` {value} is not valid (a number ≥ 0; a radius "
        "> 0 and at most 50 km).",
    },
    "plan.new_post": {"id": "pos baru", "en": "new post"},
    "plan.post_position": {
        "id": "Pos {site_id!r}: posisi ({lon}, {lat}) bukan bujur -180..180 dan lintang -90..90.",
        "en": "Post {site_id!r}: position ({lon}, {lat}) is not a longitude -180..180 and "
        "latitude -90..90.",
    },
    "plan.zone_kind": {
        "id": "Zona {zone!r}: jenis {value!r} tidak dikenal; seharusnya salah satu dari: "
        "{expected}.",
        "en": "Zone {zone!r}: unknown kind {value!r}; expected one of: {expected}.",
    },
    "plan.zone_id": {"id": "Zona {zone!r} tidak punya id.", "en": "Zone {zone!r} has no id."},
    "plan.zone_duplicate": {
        "id": "Id zona {zone!r} dipakai lebih dari sekali.",
        "en": "Zone id {zone!r} is used more than once.",
    },
    "plan.zone_geometry": {
        "id": "Zona {zone!r} perlu poligon yang sah (tertutup, tidak memotong diri) atau titik "
        "pusat dengan radius.",
        "en": "Zone {zone!r} needs a valid polygon (closed, not crossing itself) or a centre "
        "point with a radius.",
    },
    "plan.zone_not_finite": {
        "id": "Zona {zone!r}: koordinat harus bujur -180..180 dan lintang -90..90.",
        "en": "Zone {zone!r}: coordinates must be longitude -180..180 and latitude -90..90.",
    },
    "plan.zone_radius": {
        "id": "Zona {zone!r}: ring perlu radius lebih dari 0 m dan paling jauh {limit} m "
        "(bukan {value!r}).",
        "en": "Zone {zone!r}: a ring needs a radius above 0 m and at most {limit} m (not "
        "{value!r}).",
    },
    # --- suggested posts (geo.placement, the "Saran pos" page, `posko suggest`)
    "suggest.bad_choice": {
        "id": "Pilihan {name} {value!r} tidak dikenal; pilih salah satu: {expected}.",
        "en": "Unknown {name} {value!r}; choose one of: {expected}.",
    },
    "suggest.bad_number": {
        "id": "{name} harus bilangan dari {low} sampai {high} (bukan {value!r}).",
        "en": "{name} must be a number from {low} to {high} (not {value!r}).",
    },
    "suggest.grid_no_areas": {
        "id": "Kisi calon lokasi dibentangkan di atas batas wilayah, tetapi operasi ini belum "
        "punya batas wilayah. Impor batas wilayah dulu, atau pakai sumber calon lainnya.",
        "en": "The candidate grid is laid over the operation's areas, but this operation has "
        "no areas yet. Import its boundaries first, or use other candidate sources.",
    },
    "suggest.grid_too_many": {
        "id": "Kisi berjarak {spacing} m menghasilkan {points} titik; batasnya {limit}. "
        "Pakai jarak kisi sekitar {fits} m atau lebih.",
        "en": "A grid spaced {spacing} m gives {points} points; the limit is {limit}. Use a "
        "spacing of about {fits} m or more.",
    },
    "suggest.no_candidates": {
        "id": "Tidak ada calon lokasi pos: pilih sumber calon (kantor pemerintahan, logistik, "
        "lokasi TPS), unggah daftar calon, atau pakai kisi. Calon di zona larangan masuk "
        "tidak dipakai.",
        "en": "There are no candidate sites: choose candidate sources (government buildings, "
        "logistics, TPS sites), upload a candidate list, or use a grid. Candidates inside "
        "no-go zones are not used.",
    },
    "suggest.kecamatan_empty": {
        "id": "Syarat minimal satu pos baru per kecamatan tidak dapat dipenuhi: tidak ada calon "
        "lokasi di {areas}. Tambah calon (mis. kisi) atau matikan syarat ini.",
        "en": "At least one new post per kecamatan cannot be met: there is no candidate site "
        "in {areas}. Add candidates (e.g. a grid) or turn this limit off.",
    },
    "suggest.k_below_kecamatan": {
        "id": "Minimal satu pos baru per kecamatan butuh paling sedikit {n} pos, bukan {k}.",
        "en": "At least one new post per kecamatan needs at least {n} posts, not {k}.",
    },
    "suggest.no_level": {
        "id": "Batas per wilayah butuh batas {level}, tetapi operasi ini tidak punya. Impor "
        "batas wilayah itu, atau matikan batas ini.",
        "en": "The per-area limit needs {level} boundaries, which this operation does not have. "
        "Import them, or turn the limit off.",
    },
    "suggest.infeasible": {
        "id": "Tidak ada susunan pos yang memenuhi semua batas per wilayah dengan jumlah pos "
        "ini. Longgarkan batas per kelurahan atau tambah jumlah pos.",
        "en": "No choice of posts meets every per-area limit with this number of posts. "
        "Loosen the per-kelurahan limit or add posts.",
    },
    "suggest.infeasible_cover": {
        "id": "Jangkauan penuh tidak mungkin dengan batas per kelurahan ini: beberapa TPS "
        "hanya terjangkau dari kelurahan yang sudah penuh. Longgarkan batasnya.",
        "en": "Full coverage is impossible under this per-kelurahan limit: some TPS can only "
        "be reached from kelurahan that are full. Loosen the limit.",
    },
    "suggest.no_solution": {
        "id": "Pencari solusi berhenti setelah {seconds} detik tanpa menemukan susunan pos. "
        "Beri batas waktu lebih lama.",
        "en": "The solver stopped after {seconds} s without finding any choice of posts. "
        "Allow it more time.",
    },
    "suggest.upload_empty": {
        "id": "Tidak ada baris daftar calon {file!r} yang diterima ({rejected} ditolak); lihat "
        "laporan impor di atas.",
        "en": "No row of the candidate list {file!r} was accepted ({rejected} rejected); see "
        "the import report above.",
    },
    "suggest.nothing_to_save": {
        "id": "Saran ini tidak menambah pos, jadi tidak ada rencana yang dibuat.",
        "en": "This suggestion adds no post, so no plan was made.",
    },
    "suggest.step.coverage": {
        "id": "Menghitung jangkauan pos rencana…",
        "en": "Working out what the plan's posts reach…",
    },
    "suggest.step.candidates": {
        "id": "Mengumpulkan calon lokasi…",
        "en": "Gathering candidate sites…",
    },
    "suggest.step.reach": {
        "id": "Mengukur jangkauan {candidates} calon ke {targets} sasaran yang belum terjangkau…",
        "en": "Measuring the reach of {candidates} candidates to {targets} targets not "
        "covered yet…",
    },
    "suggest.step.solve": {"id": "Mencari susunan pos terbaik…", "en": "Finding the best posts…"},
    "suggest.step.curve": {
        "id": "Menghitung kurva jangkauan untuk 1…{k} pos…",
        "en": "Working out the coverage curve for 1…{k} posts…",
    },
    "suggest.step.explain": {
        "id": "Menyusun penjelasan per pos…",
        "en": "Explaining each post…",
    },
    "suggest.note.all_covered": {
        "id": "Semua sasaran sudah terjangkau pos rencana ini; tidak perlu pos baru.",
        "en": "Every target is already reached by the plan's posts; no new post is needed.",
    },
    "suggest.note.fewer": {
        "id": "Hanya {n} dari {k} pos yang menambah jangkauan; pos selebihnya tidak menjangkau "
        "TPS baru.",
        "en": "Only {n} of the {k} posts add coverage; more posts would reach no new TPS.",
    },
    "suggest.note.unreachable": {
        "id": "{n} sasaran tidak terjangkau calon mana pun (lihat daftar di bawah).",
        "en": "{n} target(s) no candidate can reach (see the list below).",
    },
    "suggest.post_name": {"id": "Saran {n}: {place}", "en": "Suggested {n}: {place}"},
    "suggest.draft_name": {"id": "Saran +{n} pos {when}", "en": "Suggested +{n} posts {when}"},
    "suggest.plan_note": {
        "id": "saran {n} pos baru ({post_type})",
        "en": "{n} suggested new post(s) ({post_type})",
    },
    "suggest.source.government": {"id": "Kantor pemerintahan", "en": "Government buildings"},
    "suggest.source.logistics": {"id": "Lokasi logistik pemilu", "en": "Election logistics"},
    "suggest.source.polling_station": {
        "id": "Lokasi TPS (sekolah, balai desa)",
        "en": "TPS sites (schools, village halls)",
    },
    "suggest.source.upload": {"id": "Daftar calon unggahan", "en": "Uploaded candidate list"},
    "suggest.source.grid": {"id": "Titik kisi", "en": "Grid point"},
    "suggest.status.optimal": {"id": "optimal", "en": "optimal"},
    "suggest.status.time_limit": {
        "id": "batas waktu tercapai (selisih optimalitas {gap})",
        "en": "time limit reached (optimality gap {gap})",
    },
    "suggest.status.infeasible": {"id": "tidak mungkin", "en": "impossible"},
    "suggest.title": {"id": "Saran lokasi pos baru", "en": "Suggest new posts"},
    "suggest.intro": {
        "id": "Pos rencana tetap di tempatnya; hanya lokasi pos baru yang dipilih. Sebuah calon "
        "menjangkau TPS bila jarak geodesiknya paling jauh radius jenis pos.",
        "en": "The plan's posts stay where they are; only new positions are chosen. A "
        "candidate reaches a TPS when the geodesic distance is at most the post type's radius.",
    },
    "suggest.plan": {"id": "Rencana", "en": "Plan"},
    "suggest.mode": {"id": "Pertanyaan", "en": "Question"},
    "suggest.mode.add": {
        "id": "Di mana k pos baru menjangkau paling banyak?",
        "en": "Where do k new posts reach the most?",
    },
    "suggest.mode.cover_all": {
        "id": "Berapa pos paling sedikit agar semua TPS terjangkau?",
        "en": "What is the fewest posts that reach every TPS?",
    },
    "suggest.k": {"id": "Jumlah pos baru (k)", "en": "Number of new posts (k)"},
    "suggest.type": {"id": "Jenis pos baru", "en": "Type of the new posts"},
    "suggest.radius": {
        "id": "Radius jenis ini dalam rencana: {radius}",
        "en": "This type's radius in the plan: {radius}",
    },
    "suggest.sources": {
        "id": "Calon lokasi dari daftar operasi",
        "en": "Candidates from the lists",
    },
    "suggest.grid": {"id": "Tambah kisi di atas wilayah", "en": "Add a grid over the areas"},
    "suggest.grid_m": {"id": "Jarak kisi (m)", "en": "Grid spacing (m)"},
    "suggest.limits": {
        "id": "Batas per wilayah dan sasaran tambahan",
        "en": "Per-area limits and extra demand",
    },
    "suggest.per_kecamatan": {
        "id": "Minimal satu pos baru per kecamatan",
        "en": "At least one new post per kecamatan",
    },
    "suggest.max_per_kelurahan": {
        "id": "Paling banyak pos baru per kelurahan (0: tanpa batas)",
        "en": "Most new posts per kelurahan (0: no limit)",
    },
    "suggest.demo_weight": {
        "id": "Bobot titik unjuk rasa (0: tidak dihitung)",
        "en": "Weight of a demonstration point (0: not counted)",
    },
    "suggest.building_weight": {
        "id": "Bobot gedung terancam unjuk rasa (0: tidak dihitung)",
        "en": "Weight of a threatened building (0: not counted)",
    },
    "suggest.time_limit": {"id": "Batas waktu pencarian (detik)", "en": "Solver time limit (s)"},
    "suggest.upload": {
        "id": "Daftar calon lokasi sendiri (opsional; format impor mana pun)",
        "en": "Your own candidate list (optional; any import format)",
    },
    "suggest.upload_report": {
        "id": "Laporan impor daftar calon {file}",
        "en": "Import report of the candidate list {file}",
    },
    "suggest.run": {"id": "Cari saran", "en": "Suggest"},
    "suggest.running": {"id": "Mencari saran pos…", "en": "Suggesting posts…"},
    "suggest.done": {"id": "Saran selesai", "en": "Suggestion ready"},
    "suggest.stale": {
        "id": "Pilihan sudah diubah; hasil di bawah masih untuk pilihan sebelumnya. Tekan "
        "Cari saran lagi.",
        "en": "The choices changed; the result below is for the earlier choices. Press "
        "Suggest again.",
    },
    "suggest.new_posts": {"id": "Pos baru", "en": "New posts"},
    "suggest.unreachable": {
        "id": "Sasaran tak terjangkau calon mana pun",
        "en": "Targets no candidate reaches",
    },
    "suggest.posts": {
        "id": "Pos saran dan alasannya (urutan tambahan terbesar)",
        "en": "Suggested posts and why (largest gain first)",
    },
    "suggest.curve_csv": {"id": "Unduh data kurva (CSV)", "en": "Download the curve (CSV)"},
    "suggest.brief": {"id": "Briefing saran", "en": "Suggestion briefing"},
    "suggest.brief_solver": {
        "id": "Hasil: {status}; dipilih dari {candidates} calon lokasi",
        "en": "Result: {status}; chosen from {candidates} candidate sites",
    },
    "suggest.download_brief": {
        "id": "Unduh briefing saran (HTML, bisa dicetak)",
        "en": "Download the suggestion briefing (HTML, printable)",
    },
    "suggest.draft": {"id": "Jadikan rencana draf", "en": "Make it a draft plan"},
    "suggest.draft_label": {"id": "Nama rencana draf", "en": "Draft plan name"},
    "suggest.make_draft": {
        "id": "Buat rencana draf dari saran ini",
        "en": "Create a draft plan from this suggestion",
    },
    "suggest.draft_saved": {
        "id": "Rencana draf {name!r} disimpan (salinan rencana ini + pos saran). Buka halaman "
        "Peta operasi dan pilih rencana itu untuk menyunting, membandingkan dan mengajukannya.",
        "en": "Draft plan {name!r} saved (a copy of this plan + the suggested posts). Open the "
        "Operation map page and choose that plan to edit, compare and propose it.",
    },
    "suggest.draft_opened": {
        "id": "Rencana draf {name!r} disimpan (salinan rencana + pos saran) dan dibuka di sini: "
        "sunting, bandingkan dan ajukan.",
        "en": "Draft plan {name!r} saved (a copy of the plan + the suggested posts) and opened "
        "here: edit, compare and propose it.",
    },
    "suggest.col.order": {"id": "Urutan", "en": "Order"},
    "suggest.col.place": {"id": "Lokasi", "en": "Site"},
    "suggest.col.source": {"id": "Sumber calon", "en": "Candidate source"},
    "suggest.col.gain": {"id": "Tambahan skor", "en": "Gain"},
    "suggest.col.new_tps": {"id": "TPS baru terjangkau", "en": "TPS newly covered"},
    "suggest.col.by_risk": {"id": "Per kerawanan", "en": "By risk class"},
    "suggest.col.position": {"id": "Lintang; bujur", "en": "Latitude, longitude"},
    "suggest.col.target": {"id": "Sasaran", "en": "Target"},
    "suggest.col.nearest": {"id": "Calon terdekat", "en": "Nearest candidate"},
    "suggest.col.tps_covered": {"id": "TPS terjangkau", "en": "TPS covered"},
    "suggest.col.score": {"id": "Skor berbobot", "en": "Weighted score"},
    "suggest.col.status": {"id": "Hasil", "en": "Result"},
    "suggest.head_add": {
        "id": "Saran {n} pos baru ({post_type}, radius {radius}) untuk rencana {plan!r}:",
        "en": "{n} suggested new post(s) ({post_type}, radius {radius}) for plan {plan!r}:",
    },
    "suggest.head_cover": {
        "id": "Paling sedikit {n} pos baru ({post_type}, radius {radius}) untuk menjangkau semua "
        "TPS yang terjangkau calon, rencana {plan!r}:",
        "en": "At least {n} new post(s) ({post_type}, radius {radius}) reach every TPS a "
        "candidate can reach, plan {plan!r}:",
    },
    "suggest.figures": {
        "id": "TPS terjangkau {before} → {after} dari {total}; skor berbobot {score_before} → "
        "{score_after}",
        "en": "TPS covered {before} → {after} of {total}; weighted score {score_before} → "
        "{score_after}",
    },
    "suggest.solver_line": {
        "id": "Hasil: {status}; {candidates} calon lokasi; {seconds} detik",
        "en": "Result: {status}; {candidates} candidate sites; {seconds} s",
    },
    "suggest.post_line": {
        "id": "{order}. {place} ({source}) +{gain}: {tps} TPS baru ({risks}) di {position}",
        "en": "{order}. {place} ({source}) +{gain}: {tps} TPS newly covered ({risks}) at "
        "{position}",
    },
    "suggest.unreachable_line": {
        "id": "tak terjangkau calon mana pun: {name} (calon terdekat {distance})",
        "en": "no candidate reaches: {name} (nearest candidate {distance})",
    },
    "suggest.curve_line": {
        "id": "Kurva (pos → TPS terjangkau): {points}",
        "en": "Curve (posts → TPS covered): {points}",
    },
    "suggest.curve_title": {
        "id": "TPS terjangkau menurut jumlah pos baru",
        "en": "TPS covered by number of new posts",
    },
    "suggest.curve_x": {"id": "Jumlah pos baru", "en": "New posts"},
    "suggest.curve_y": {"id": "TPS terjangkau", "en": "TPS covered"},
    "suggest.curve_point": {
        "id": "{k} pos: {tps} TPS terjangkau, skor berbobot {score}",
        "en": "{k} posts: {tps} TPS covered, weighted score {score}",
    },
    "suggest.layer_posts": {"id": "Pos saran", "en": "Suggested posts"},
    "suggest.layer_reach": {"id": "Jangkauan pos saran", "en": "Reach of suggested posts"},
    "suggest.layer_new": {"id": "TPS baru terjangkau", "en": "TPS newly covered"},
    "suggest.layer_unreachable": {
        "id": "TPS tak terjangkau calon mana pun",
        "en": "TPS no candidate reaches",
    },
    "suggest.tip_gain": {
        "id": "{tps} TPS baru terjangkau ({risks})",
        "en": "{tps} TPS newly covered ({risks})",
    },
    "suggest.tip_new": {"id": "terjangkau oleh saran {n}", "en": "reached by suggestion {n}"},
    "suggest.tip_unreachable": {
        "id": "tak terjangkau calon mana pun; calon terdekat {distance}",
        "en": "no candidate reaches it; nearest candidate {distance}",
    },
    "cli.report_head": {
        "id": "{file} ({format}{layer}): {rows_read} baris dibaca, {accepted} diterima, "
        "{rejected} ditolak; CRS {crs}",
        "en": "{file} ({format}{layer}): {rows_read} rows read, {accepted} accepted, "
        "{rejected} rejected; CRS {crs}",
    },
    "cli.layer": {"id": ", lapisan {layer}", "en": ", layer {layer}"},
    "cli.row": {"id": "baris {row}", "en": "row {row}"},
    "cli.file": {"id": "berkas", "en": "file"},
    "cli.more_with": {
        "id": "… dan {n} baris lagi dengan {code}",
        "en": "… and {n} more row(s) with {code}",
    },
    "cli.full_hint": {
        "id": "Semua baris: tambahkan --full, atau --report-csv BERKAS.csv untuk daftar lengkap "
        "beserta alasannya.",
        "en": "Every row: add --full, or --report-csv FILE.csv for the full list with reasons.",
    },
    "cli.fix_offered": {
        "id": "perbaikan tersedia: {fix} [{id}]",
        "en": "fix offered: {fix} [{id}]",
    },
    "cli.saved": {
        "id": "tersimpan sebagai versi {version} ({sites} lokasi) di {folder}",
        "en": "saved as version {version} ({sites} sites) in {folder}",
    },
    "cli.nothing_to_save": {
        "id": "posko import: tidak ada yang dapat disimpan (tidak ada baris yang diterima).",
        "en": "posko import: nothing to save (no row accepted).",
    },
    "cli.nothing_to_save_areas": {
        "id": "posko import: tidak ada yang dapat disimpan (tidak ada wilayah yang diterima).",
        "en": "posko import: nothing to save (no area accepted).",
    },
    "cli.roads_set": {
        "id": "Berkas jalan operasi {operation} disimpan di {path}: jalur logistik dan waktu tiba "
        "cadangan kini menyusuri jalan (aplikasi dan briefing).",
        "en": "Road file of operation {operation} saved at {path}: logistics legs and reserves' "
        "arrival now follow the roads (app and briefing).",
    },
    "cli.roads_removed": {
        "id": "Berkas jalan operasi {operation} ({path}) dihapus: jalur dan waktu tiba kembali "
        "dihitung dengan garis lurus.",
        "en": "Road file of operation {operation} ({path}) removed: legs and arrival times are "
        "worked out in straight lines again.",
    },
    "cli.roads_none": {
        "id": "Operasi {operation} tidak mempunyai berkas jalan ({path}); tidak ada yang dihapus.",
        "en": "Operation {operation} has no road file ({path}); nothing removed.",
    },
    "cli.rolled_back": {
        "id": "versi {old} dipulihkan sebagai versi {version} ({sites} lokasi)",
        "en": "version {old} restored as version {version} ({sites} sites)",
    },
    "guard.dry_run": {
        "id": "uji coba: belum ada yang disimpan; tambahkan --yes untuk menyimpan perubahan "
        "di atas",
        "en": "dry run: nothing written; add --yes to save the changes above",
    },
    "guard.rollback_dry_run": {
        "id": "pemulihan versi {version} mengganti semua lokasi operasi dengan isi versi itu; "
        "belum ada yang disimpan; tambahkan --yes untuk memulihkan",
        "en": "restoring version {version} replaces every site of the operation with that "
        "version's; nothing written; add --yes to restore",
    },
    "guard.kind_line": {
        "id": "  {kind}: {added} baru, {updated} diperbarui, {removed} dihapus",
        "en": "  {kind}: {added} new, {updated} updated, {removed} removed",
    },
    "guard.unchanged_line": {
        "id": "  {unchanged} baris tidak mengubah apa pun, {conflicts} baris bentrok",
        "en": "  {unchanged} row(s) change nothing, {conflicts} row(s) in conflict",
    },
    "guard.far_rows": {
        "id": "PERHATIAN: {n} baris yang diterima berada di luar wilayah operasi (terjauh "
        "{max_distance}). Pastikan daftar ini memang untuk operasi ini sebelum menyimpan.",
        "en": "CAUTION: {n} accepted row(s) lie outside the operation's area (furthest "
        "{max_distance}). Make sure this list belongs to this operation before saving.",
    },
    "guard.no_change": {
        "id": "Tidak ada perubahan — daftar ini sudah sama dengan operasi.",
        "en": "No changes — this list already matches the operation.",
    },
    "match.new": {"id": "baru", "en": "new"},
    "match.update": {"id": "diperbarui", "en": "update"},
    "match.unchanged": {"id": "tetap", "en": "unchanged"},
    "match.conflict": {"id": "bentrok", "en": "conflict"},
    "cli.match_counts": {
        "id": "hasil pencocokan: {new} baru, {update} diperbarui, {unchanged} tetap, "
        "{conflict} bentrok",
        "en": "matching: {new} new, {update} updated, {unchanged} unchanged, {conflict} in "
        "conflict",
    },
    "cli.more_rows": {"id": "dan {n} baris lagi", "en": "and {n} more row(s)"},
    "cli.post_types_asked": {
        "id": "jenis pos belum diketahui untuk nilai {values}: pilih dengan --post-type "
        "NILAI=JENIS (nilai kosong: --post-type =JENIS); baris lainnya ditolak",
        "en": "post type unknown for value(s) {values}: choose with --post-type VALUE=TYPE "
        "(empty value: --post-type =TYPE); those rows are rejected otherwise",
    },
    "guard.area_level_replaced": {
        "id": "  {level}: {before} → {after} wilayah (diganti seluruhnya)",
        "en": "  {level}: {before} → {after} areas (replaced as a whole)",
    },
    "guard.area_level_kept": {
        "id": "  {level}: {before} wilayah (tetap)",
        "en": "  {level}: {before} areas (kept)",
    },
    "guard.outside": {"id": "TPS di luar semua wilayah", "en": "TPS outside every area"},
    "guard.tps": {"id": "Jumlah TPS", "en": "Polling stations"},
    "guard.share": {"id": "TPS terjangkau", "en": "Polling stations covered"},
    "guard.uncovered": {"id": "TPS tak terjangkau", "en": "Uncovered polling stations"},
    "guard.police": {"id": "Kebutuhan personel Polri", "en": "Police needed"},
    "cli.staffing": {
        "id": "pola {preset}: {polri} Polri dibutuhkan ({polri_tps} di TPS, {warehouses} gudang), "
        "{linmas} Linmas, {tni} TNI; {available} Polri tersedia di pos, kurang {shortfall} "
        "(dijumlah per wilayah)",
        "en": "preset {preset}: {polri} police needed ({polri_tps} at TPS, {warehouses} "
        "warehouses), {linmas} Linmas, {tni} TNI; {available} police at the posts, "
        "{shortfall} short (summed area by area)",
    },
    "cli.staffing_area": {
        "id": "butuh {polri}  tersedia {available}  kurang {shortfall}",
        "en": "need {polri}  available {available}  short {shortfall}",
    },
    # --- import: issues found in an uploaded list ({row}: record number in the file)
    "issue.encoding_fallback": {
        "id": "Berkas bukan UTF-8; dibaca sebagai {encoding}. Periksa nama yang beraksen.",
        "en": "The file is not UTF-8; it was read as {encoding}. Check names with accents.",
    },
    "issue.bad_bytes": {
        "id": "Baris {row}: ada bita yang bukan {encoding} yang sah (ditampilkan sebagai �). "
        "Periksa nama di baris ini.",
        "en": "Row {row}: some bytes are not valid {encoding} (shown as �). Check the names "
        "in this row.",
    },
    "issue.no_rows": {"id": "Berkas tidak berisi baris data.", "en": "The file holds no rows."},
    "issue.ragged_row": {
        "id": "Baris {row} punya jumlah kolom berbeda dari judul; isinya disimpan apa adanya.",
        "en": "Row {row} has a different number of fields than the header; all are kept.",
    },
    "issue.reader_note": {"id": "Catatan pembaca berkas: {note}", "en": "File reader note: {note}"},
    "issue.crs_applied": {
        "id": "Koordinat dibaca sebagai {crs} ({name}), sesuai pilihan.",
        "en": "Coordinates read as {crs} ({name}), as chosen.",
    },
    "issue.crs_declared": {
        "id": "Koordinat diubah dari {crs} ({name}) sesuai keterangan berkas.",
        "en": "Coordinates converted from {crs} ({name}), as the file declares.",
    },
    "issue.crs_assumed": {
        "id": "Berkas tidak menyebut sistem koordinatnya; nilainya berupa derajat, jadi "
        "dianggap WGS 84 (EPSG:4326).",
        "en": "The file does not say its CRS; the values look like degrees, so WGS 84 "
        "(EPSG:4326) is assumed.",
    },
    "issue.crs_missing": {
        "id": "Koordinat bukan derajat ({sample}) dan berkas tidak menyebut sistemnya.",
        "en": "The coordinates cannot be degrees ({sample}) and the file does not say which "
        "system they are in.",
    },
    "issue.crs_contradicted": {
        "id": "Berkas menyatakan {declared}, tetapi nilai koordinatnya ({sample}) tidak cocok.",
        "en": "The file declares {declared}, but the coordinates ({sample}) do not fit it.",
    },
    "issue.crs_row": {
        "id": "Baris {row}: sistem koordinat belum diketahui.",
        "en": "Row {row}: the coordinate system is not known.",
    },
    "issue.axes_swapped": {
        "id": "Lintang dan bujur tertukar: nilai yang dibaca sebagai lintang adalah bujur.",
        "en": "Latitude and longitude are swapped: the values read as latitude are longitudes.",
    },
    "issue.axes_swapped_row": {
        "id": "Baris {row}: lintang {lat} dan bujur {lon} tertukar.",
        "en": "Row {row}: latitude {lat} and longitude {lon} are swapped.",
    },
    "issue.axes_swapped_fixed": {
        "id": "Lintang dan bujur ditukar untuk semua baris, sesuai pilihan.",
        "en": "Latitude and longitude were swapped for every row, as chosen.",
    },
    "issue.no_coordinate_columns": {
        "id": "Tidak ditemukan kolom koordinat (lat/lon, lintang/bujur, x/y, koordinat, WKT).",
        "en": "No coordinate columns found (lat/lon, latitude/longitude, lintang/bujur, x/y, "
        "koordinat, WKT).",
    },
    "issue.no_geometry": {
        "id": "Baris {row} tidak punya posisi.",
        "en": "Row {row} has no position.",
    },
    "issue.wrong_geometry_type": {
        "id": "Baris {row} berupa {geom}; lokasi harus titik atau denah bangunan.",
        "en": "Row {row} is a {geom}; a site must be a point or a building outline.",
    },
    "issue.invalid_polygon_repaired": {
        "id": "Baris {row}: poligon tidak valid ({reason}) dan sudah diperbaiki.",
        "en": "Row {row}: the polygon was invalid ({reason}) and was repaired.",
    },
    "issue.polygon_to_point": {
        "id": "Baris {row} berupa denah bangunan; lokasi ditempatkan di dalamnya, denah disimpan.",
        "en": "Row {row} is a building outline; the site is placed inside it and the outline "
        "is kept.",
    },
    "issue.coord_not_numeric": {
        "id": "Baris {row}: koordinat di {columns} bukan angka.",
        "en": "Row {row}: the coordinates in {columns} are not numbers.",
    },
    "issue.hemisphere_conflict": {
        "id": "Baris {row}: koordinat {value!r} di kolom `{column}` memakai tanda minus/plus "
        "yang bertentangan dengan penunjuk arahnya (LS/LU/BT/BB, S/N/E/W); tulis tanpa tanda.",
        "en": "Row {row}: the coordinate {value!r} in column `{column}` has a minus/plus sign "
        "that contradicts its hemisphere letters (LS/LU/BT/BB, S/N/E/W); write it without the "
        "sign.",
    },
    "issue.coord_not_finite": {
        "id": "Baris {row}: koordinat {where} bukan angka terhingga (NaN atau tak hingga).",
        "en": "Row {row}: the coordinate {where} is not a finite number (NaN or infinity).",
    },
    "issue.coord_out_of_range": {
        "id": "Baris {row}: {where} bukan lintang/bujur yang sah.",
        "en": "Row {row}: {where} is not a valid latitude/longitude.",
    },
    "issue.misplaced": {
        "id": "Baris {row}: posisi {where} berjarak {distance_m} dari {ref}; tampaknya {what} "
        "(bila dikoreksi, {fixed} berjarak {fixed_distance_m}).",
        "en": "Row {row}: position {where} is {distance_m} from {ref}; it looks like {what} "
        "(corrected, {fixed} lies {fixed_distance_m} away).",
    },
    "issue.misplaced_fixed": {
        "id": "Baris {row}: dikoreksi ({what}): {where} → {fixed}.",
        "en": "Row {row}: corrected ({what}): {where} → {fixed}.",
    },
    "issue.far": {
        "id": "Baris {row}: posisi {where} berjarak {distance_m} dari {ref}.",
        "en": "Row {row}: position {where} is {distance_m} from {ref}.",
    },
    "issue.far_list_all": {
        "id": "Semua {n} baris berada jauh di luar wilayah operasi (terdekat {nearest_m}): "
        "apakah ini daftar operasi lain?",
        "en": "All {n} rows lie far outside the operation's area (nearest {nearest_m}): "
        "is this another operation's list?",
    },
    "issue.far_list_most": {
        "id": "{n} dari {total} baris berada jauh di luar wilayah operasi (terdekat "
        "{nearest_m}): apakah ini daftar operasi lain?",
        "en": "{n} of {total} rows lie far outside the operation's area (nearest "
        "{nearest_m}): is this another operation's list?",
    },
    "issue.far_accepted": {
        "id": "PERHATIAN: {n} baris diterima walaupun di luar wilayah operasi, sampai "
        "{max_m} dari {ref}. Periksa bahwa daftar ini memang untuk operasi ini.",
        "en": "CAUTION: {n} row(s) accepted although outside the operation's area, up to "
        "{max_m} from {ref}. Check that this list really belongs to this operation.",
    },
    "issue.accept_far_mismatch": {
        "id": "Diminta menerima {given} baris jauh, tetapi ada {n}; semua baris jauh tetap "
        "ditolak. Sebutkan jumlah yang tepat.",
        "en": "Asked to accept {given} far row(s), but there are {n}; every far row stays "
        "rejected. Give the exact number.",
    },
    "issue.kind_missing": {
        "id": "Berkas tidak punya kolom jenis lokasi.",
        "en": "The file has no column saying what each site is.",
    },
    "issue.kind_from_tps_column": {
        "id": (
            "Kolom {tps_column} berisi nomor TPS: {n} baris tanpa jenis lokasi dianggap TPS"
            " (ubah lewat 'Semua baris adalah …' bila keliru)."
        ),
        "en": (
            "Column {tps_column} holds TPS numbers: {n} row(s) without a kind are taken as polling"
            " stations (change it with 'These are all …' if wrong)."
        ),
    },
    "issue.kind_missing_row": {
        "id": "Baris {row}: jenis lokasi tidak diketahui.",
        "en": "Row {row}: the kind of site is not given.",
    },
    "issue.unknown_kind": {
        "id": "Baris {row}: `{column}` berisi {value!r}, bukan jenis lokasi yang dikenal.",
        "en": "Row {row}: `{column}` has {value!r}, which is not a known kind of site.",
    },
    "issue.risk_missing": {
        "id": "Tidak ada kolom kerawanan: TPS dihitung kurang rawan.",
        "en": "No risk-class column: polling stations are counted kurang rawan.",
    },
    "issue.missing_risk": {
        "id": "Baris {row}: `{column}` kosong; dihitung kurang rawan.",
        "en": "Row {row}: `{column}` is empty; counted kurang rawan.",
    },
    "issue.unknown_risk": {
        "id": "Baris {row}: `{column}` berisi {value!r}, bukan kelas kerawanan yang dikenal.",
        "en": "Row {row}: `{column}` has {value!r}, which is not a known risk class.",
    },
    "issue.indicators_read": {
        "id": "{n} kolom indikator TPS rawan dibaca sebagai ya/tidak: {columns}.",
        "en": "{n} TPS-rawan indicator column(s) read as yes/no: {columns}.",
    },
    "issue.risk_rule": {
        "id": "Kerawanan {n} TPS ditentukan dari indikator dengan aturan operasi: {rule}.",
        "en": "The risk class of {n} TPS comes from the indicators by the operation's rule: "
        "{rule}.",
    },
    "rule.describe": {
        "id": "≥ {high} indikator atau salah satu dari [{any}] → sangat rawan; ≥ {mid} "
        "indikator → rawan; selain itu kurang rawan",
        "en": "≥ {high} indicators or any of [{any}] → sangat rawan; ≥ {mid} indicators → "
        "rawan; otherwise kurang rawan",
    },
    "issue.risk_column_wins": {
        "id": "Untuk {n} TPS, kolom kerawanan `{risk_column}` dipakai, bukan aturan indikator.",
        "en": "For {n} TPS the risk column `{risk_column}` is used, not the indicator rule.",
    },
    "issue.unknown_indicator_value": {
        "id": "Baris {row}: `{column}` berisi {value!r}, bukan ya/tidak; indikator ini tidak "
        "dihitung.",
        "en": "Row {row}: `{column}` has {value!r}, not yes/no; this indicator is not counted.",
    },
    "issue.unknown_post_type": {
        "id": "Baris {row}: `{column}` berisi {value!r}, bukan jenis pos yang dikenal.",
        "en": "Row {row}: `{column}` has {value!r}, which is not a known post type.",
    },
    "issue.missing_post_type": {
        "id": "Baris {row}: jenis pos tidak disebut dan nama tidak menyebutnya; baris ditolak "
        "sampai jenis pos dipilih.",
        "en": "Row {row}: the post type is not given and the name does not state it; the row is "
        "rejected until a post type is chosen.",
    },
    "issue.post_type_from_name": {
        "id": "Baris {row}: jenis pos diambil dari nama: {post_type}.",
        "en": "Row {row}: post type taken from the name: {post_type}.",
    },
    "issue.not_a_number": {
        "id": "Baris {row}: `{column}` berisi {value!r}, bukan angka; dikosongkan.",
        "en": "Row {row}: `{column}` has {value!r}, not a number; left empty.",
    },
    "issue.missing_id": {
        "id": "Baris {row} tidak punya ID; dipakai {id!r}.",
        "en": "Row {row} has no id; {id!r} is used.",
    },
    "issue.duplicate_id": {
        "id": "Baris {row}: ID {id!r} sudah dipakai baris {first}; baris ini disimpan sebagai "
        "{new_id!r}.",
        "en": "Row {row}: id {id!r} is already used by row {first}; this row is kept as "
        "{new_id!r}.",
    },
    "issue.duplicate_row": {
        "id": "Baris {row} sama persis dengan baris {first}.",
        "en": "Row {row} repeats row {first} exactly.",
    },
    "issue.same_place": {
        "id": "Baris {row} berada di titik yang sama dengan baris {first}.",
        "en": "Row {row} is at the same place as row {first}.",
    },
    "issue.same_coordinates": {
        "id": "Baris {row} berada di titik yang sama dengan baris {first} (beberapa TPS di satu "
        "sekolah itu biasa).",
        "en": "Row {row} is at the same place as row {first} (several TPS in one school is "
        "normal).",
    },
    "issue.duplicate_name": {
        "id": "Baris {row} bernama sama dengan baris {first} di wilayah yang sama, di tempat lain.",
        "en": "Row {row} has the same name as row {first} in the same area, at another place.",
    },
    # boundary files (areas): the same per-row report as site lists
    "issue.area_no_geometry_file": {
        "id": "Berkas tidak berisi geometri: batas wilayah perlu poligon (GeoJSON, GeoPackage, "
        "shapefile zip, KML).",
        "en": "The file holds no geometry: boundaries need polygons (GeoJSON, GeoPackage, "
        "zipped shapefile, KML).",
    },
    "issue.area_no_such_column": {
        "id": "Kolom {column!r} yang dipilih tidak ada di berkas; kolomnya: {columns}.",
        "en": "The chosen column {column!r} is not in the file; its columns: {columns}.",
    },
    "issue.area_no_geometry": {
        "id": "Baris {row} tidak punya poligon.",
        "en": "Row {row} has no polygon.",
    },
    "issue.area_not_finite": {
        "id": "Baris {row} berisi koordinat tak terhingga atau kosong (NaN).",
        "en": "Row {row} holds infinite or missing (NaN) coordinates.",
    },
    "issue.area_out_of_range": {
        "id": "Baris {row} berada di luar rentang lintang/bujur; periksa CRS berkas.",
        "en": "Row {row} lies outside the latitude/longitude range; check the file's CRS.",
    },
    "issue.area_not_polygon": {
        "id": "Baris {row} berisi {geom}, bukan poligon wilayah.",
        "en": "Row {row} holds a {geom}, not an area polygon.",
    },
    "issue.area_no_area": {
        "id": "Baris {row}: setelah perbaikan tidak tersisa bagian berluas ({geom}); ditolak.",
        "en": "Row {row}: after repair no part with an area is left ({geom}); rejected.",
    },
    "issue.area_repaired": {
        "id": "Baris {row}: poligon tidak valid ({reason}) diperbaiki; {dropped} bagian garis, "
        "titik atau serpihan dibuang, bagian poligon dipertahankan.",
        "en": "Row {row}: invalid polygon ({reason}) repaired; {dropped} line, point or "
        "sliver part(s) dropped, polygon parts kept.",
    },
    "issue.area_bad_crs": {
        "id": "CRS yang dipilih tidak dapat dipakai: {reason}",
        "en": "The CRS chosen cannot be used: {reason}",
    },
    "issue.area_crs_assumed": {
        "id": "Berkas tidak menyebut CRS; koordinatnya berupa derajat, dibaca sebagai WGS84 "
        "(EPSG:4326).",
        "en": "The file states no CRS; its coordinates are degrees, read as WGS84 (EPSG:4326).",
    },
    "issue.area_crs_missing": {
        "id": "Koordinat berkas bukan derajat (CRS tertulis: {declared}); sebutkan CRS-nya. "
        "Kemungkinan: {guesses}.",
        "en": "The file's coordinates are not degrees (declared CRS: {declared}); say which "
        "CRS they are in. Likely: {guesses}.",
    },
    "issue.area_no_code_name": {
        "id": "Baris {row} tidak punya kode maupun nama wilayah (kolom seperti `kode`/"
        "`area_code` atau `nama`/`name`).",
        "en": "Row {row} has neither an area code nor a name (a column such as `kode`/"
        "`area_code` or `nama`/`name`).",
    },
    "issue.area_name_from_code": {
        "id": "Baris {row} tidak punya nama; kode {code!r} dipakai sebagai nama.",
        "en": "Row {row} has no name; the code {code!r} serves as its name.",
    },
    "issue.area_code_from_name": {
        "id": "Baris {row} tidak punya kode; nama {name!r} dipakai sebagai kode.",
        "en": "Row {row} has no code; the name {name!r} serves as its code.",
    },
    "issue.area_unknown_level": {
        "id": "Baris {row}: tingkat wilayah {value!r} tidak dikenal; seharusnya salah satu "
        "dari: {expected}.",
        "en": "Row {row}: area level {value!r} is unknown; expected one of: {expected}.",
    },
    "issue.area_no_level": {
        "id": "Baris {row}: tingkat wilayah tidak diketahui. Berkas tidak punya kolom `level` "
        "dan kode {code} bukan kode Kemendagri/BPS (mis. 19.71.02.1003); tambahkan kolom "
        "`level` (kecamatan, kelurahan, …) atau pilih tingkatnya saat impor.",
        "en": "Row {row}: the area level is unknown. The file has no `level` column and the "
        "code {code} is no Kemendagri/BPS code (e.g. 19.71.02.1003); add a `level` column "
        "(kecamatan, kelurahan, …) or choose the level when importing.",
    },
    "issue.area_parts_merged": {
        "id": "Baris {row} adalah bagian lain wilayah {code!r} (baris {first}); digabung.",
        "en": "Row {row} is another part of area {code!r} (row {first}); merged.",
    },
    "issue.area_duplicate_code": {
        "id": "Baris {row} berkode {code!r} seperti baris {first}, tetapi bernama {name!r}, "
        "bukan {other!r}; ditolak.",
        "en": "Row {row} has the code {code!r} of row {first} but is named {name!r}, not "
        "{other!r}; rejected.",
    },
    "issue.area_level_derived": {
        "id": "Berkas tidak berisi {level}: {n} wilayah {level} dibentuk dengan menggabungkan "
        "{child} menurut kode induknya.",
        "en": "The file holds no {level}: {n} {level} area(s) formed by dissolving the "
        "{child} on their parent code.",
    },
    "area.no_code": {"id": "(tidak ada)", "en": "(none)"},
    "area_level.provinsi": {"id": "provinsi", "en": "province"},
    "area_level.kabupaten": {"id": "kabupaten/kota", "en": "regency/city"},
    "area_level.kecamatan": {"id": "kecamatan", "en": "kecamatan"},
    "area_level.kelurahan": {"id": "kelurahan/desa", "en": "kelurahan/desa"},
    "area_level.sector": {"id": "sektor", "en": "sector"},
    # fixes suggested with the issues
    "fix.crs": {
        "id": "Kemungkinan: {guesses}. Paling cocok: {best}; pilih dengan 'Terapkan CRS' di "
        "halaman impor.",
        "en": "Likely: {guesses}. Best match: {best}; choose it with 'Apply CRS' on the "
        "import page.",
    },
    "fix.crs_unknown": {
        "id": "Sebutkan sistem koordinatnya (kode EPSG) di pilihan CRS halaman impor.",
        "en": "Say which CRS the coordinates are in (an EPSG code) with the CRS choice on the "
        "import page.",
    },
    "fix.swap_axes": {
        "id": "Terapkan 'Tukar lintang dan bujur'.",
        "en": "Apply 'Swap latitude and longitude'.",
    },
    "fix.row_fixes": {
        "id": "Terapkan koreksi yang disarankan.",
        "en": "Apply the suggested correction.",
    },
    "fix.check_source": {
        "id": "Periksa data di berkas sumber.",
        "en": "Check the data in the source file.",
    },
    "fix.accept_far": {
        "id": "Baris ditolak. Jika posisinya memang benar, terima secara tegas dengan jumlahnya: "
        "{n} baris.",
        "en": "The row is rejected. If the position is really right, accept such rows "
        "explicitly by their number: {n} row(s).",
    },
    "fix.far_accepted": {
        "id": "Diterima karena jumlah baris jauh dikonfirmasi; periksa posisinya.",
        "en": "Kept because the number of far rows was confirmed; check the position.",
    },
    "fix.kept": {
        "id": "Periksa posisinya; baris tetap diterima.",
        "en": "Check the position; the row is kept as it is.",
    },
    "fix.choose_kind": {
        "id": "Sebutkan jenis semua baris ('Semua baris adalah …') atau petakan kolom jenis.",
        "en": "Say what the rows are ('These are all …') or map a kind column.",
    },
    "fix.risk_labels": {
        "id": "Gunakan kurang rawan / rawan / sangat rawan / khusus (aman, rawan 1, rawan 2 juga "
        "dikenali).",
        "en": "Use kurang rawan / rawan / sangat rawan / khusus (aman, rawan 1, rawan 2 are "
        "understood).",
    },
    "fix.choose_coordinates": {
        "id": "Pilih kolom koordinat.",
        "en": "Choose the coordinate columns.",
    },
    "fix.unique_ids": {"id": "Beri setiap lokasi ID sendiri.", "en": "Give each site its own id."},
    "fix.first_kept": {
        "id": "Tidak perlu tindakan: salinan pertama disimpan.",
        "en": "Nothing to do: the first copy is kept.",
    },
    "fix.indicator_values": {
        "id": "Isi indikator dengan ya/tidak (1/0, ✓/x juga dikenali).",
        "en": "Fill indicators with ya/tidak or yes/no (1/0, ✓/x are understood).",
    },
    "fix.choose_post_type": {
        "id": "Pilih jenis pos untuk nilai ini di pilihan jenis pos.",
        "en": "Choose a post type for this value with the post-type choices.",
    },
    "fix.map_column": {
        "id": "Petakan kolomnya bila berkas memilikinya.",
        "en": "Map the column if the list has one.",
    },
    # words used inside messages
    "ref.areas": {"id": "wilayah operasi", "en": "the operation's areas"},
    "ref.list": {"id": "lokasi lain dalam daftar", "en": "the rest of the list"},
    "what.swap": {"id": "lintang dan bujur tertukar", "en": "latitude and longitude swapped"},
    "what.lon_shift": {"id": "bujur ×{factor}", "en": "longitude ×{factor}"},
    "what.lat_shift": {"id": "lintang ×{factor}", "en": "latitude ×{factor}"},
    "what.both_shift": {"id": "keduanya ×{factor}", "en": "both ×{factor}"},
    "what.lat_sign": {"id": "tanda lintang (LU/LS) terbalik", "en": "latitude sign (N/S) flipped"},
    "what.lon_sign": {"id": "tanda bujur (BT/BB) terbalik", "en": "longitude sign (E/W) flipped"},
    "import.fix_crs": {"id": "Terapkan CRS {crs} ({name})", "en": "Apply CRS {crs} ({name})"},
    "import.fix_swap_axes": {"id": "Tukar lintang dan bujur", "en": "Swap latitude and longitude"},
    "import.fix_row_fixes": {
        "id": "Terapkan koreksi yang disarankan ({n} baris)",
        "en": "Apply the suggested corrections ({n} rows)",
    },
    # --- import: files that cannot be read
    "read.not_found": {"id": "Berkas {file!r} tidak ditemukan.", "en": "File {file!r} not found."},
    "read.unsupported": {
        "id": "Berkas {file!r}: jenis {suffix} tidak didukung; gunakan {supported}.",
        "en": "File {file!r}: type {suffix} is not supported; use one of {supported}.",
    },
    "read.broken": {
        "id": "Berkas {file!r} tidak dapat dibaca sebagai {format}. Periksa berkasnya atau "
        "simpan ulang sebagai CSV/GeoJSON. (rincian: {reason})",
        "en": "File {file!r} cannot be read as {format}. Check the file or save it again as "
        "CSV/GeoJSON. (details: {reason})",
    },
    "format.csv": {"id": "CSV", "en": "CSV"},
    "format.tsv": {"id": "TSV", "en": "TSV"},
    "format.text": {"id": "tabel teks", "en": "a text table"},
    "format.excel": {"id": "buku kerja Excel", "en": "an Excel workbook"},
    "format.gpkg": {"id": "GeoPackage", "en": "a GeoPackage"},
    "format.kml": {"id": "KML", "en": "KML"},
    "format.kmz": {"id": "KMZ", "en": "KMZ"},
    "format.zip": {"id": "arsip zip", "en": "a zip archive"},
    "format.shp": {"id": "shapefile", "en": "a shapefile"},
    "format.json": {"id": "GeoJSON atau JSON", "en": "GeoJSON or JSON"},
    "read.empty": {"id": "Berkas {file!r} kosong.", "en": "File {file!r} is empty."},
    "read.bad_json": {
        "id": "Berkas {file!r} bukan JSON yang sah (baris {line}, kolom {column}).",
        "en": "File {file!r} is not valid JSON (line {line}, column {column}).",
    },
    "read.unknown_json": {
        "id": "Berkas {file!r} berupa JSON tetapi bukan GeoJSON, Esri JSON atau daftar record; "
        "ekspor ulang sebagai GeoJSON atau CSV.",
        "en": "File {file!r} is JSON but neither GeoJSON, Esri JSON nor a list of records; "
        "export it as GeoJSON or CSV.",
    },
    "read.no_layer": {
        "id": "Berkas {file!r} tidak punya lapisan/sheet {layer!r}; yang ada: {layers}.",
        "en": "File {file!r} has no layer or sheet {layer!r}; it has: {layers}.",
    },
    "read.empty_zip": {
        "id": "Berkas {file!r} adalah zip tanpa shapefile (.shp dengan .dbf, .shx, .prj) atau "
        "berkas lain yang didukung.",
        "en": "File {file!r} is a zip without a shapefile (.shp with its .dbf, .shx, .prj) or "
        "another supported file inside.",
    },
    "read.rows_over_limit": {
        "id": "Berkas {file!r} berisi lebih dari {limit} baris; paling banyak {limit} per impor. "
        "Bagi berkasnya atau naikkan batasnya (`[import] max_rows`).",
        "en": "File {file!r} has more than {limit} rows; at most {limit} are accepted in one "
        "import. Split the file or raise the limit (`[import] max_rows`).",
    },
    "read.too_many_columns": {
        "id": "Berkas {file!r} berisi {columns} kolom; paling banyak {limit}. Hapus kolom yang "
        "tidak diperlukan lalu coba lagi.",
        "en": "File {file!r} has {columns} columns; at most {limit} are accepted. Remove the "
        "columns you do not need and try again.",
    },
    "read.archive_too_large": {
        "id": "Berkas {file!r}: isi {member!r} mengembang menjadi {size}; batasnya {limit}. "
        "Kirim berkasnya tanpa dikompres atau bagi menjadi beberapa berkas.",
        "en": "File {file!r}: {member!r} expands to {size}; the limit is {limit}. Send the file "
        "uncompressed or split it.",
    },
    "read.archive_ratio": {
        "id": "Berkas {file!r}: isi {member!r} dikompres {ratio} kali lipat (batas {limit}); "
        "berkas seperti ini ditolak karena dapat melumpuhkan server.",
        "en": "File {file!r}: {member!r} is compressed {ratio} to 1 (limit {limit}); such files "
        "are refused because they can bring the server down.",
    },
    "read.too_deep": {
        "id": "Berkas {file!r} bersarang terlalu dalam (lebih dari {limit} tingkat); ini bukan "
        "daftar lokasi. Ekspor ulang sebagai GeoJSON atau CSV.",
        "en": "File {file!r} is nested too deeply (more than {limit} levels); it is not a site "
        "list. Export it again as GeoJSON or CSV.",
    },
    "read.xml_dtd": {
        "id": "Berkas {file!r} memuat deklarasi DTD/entitas XML yang tidak diizinkan; simpan "
        "ulang dari Excel atau sebagai CSV.",
        "en": "File {file!r} contains an XML DTD or entity declaration, which is not allowed; "
        "save it again from Excel or as CSV.",
    },
    "read.time_budget": {
        "id": "Membaca dan memeriksa berkas {file!r} melebihi batas waktu {limit} detik; impor "
        "dihentikan, tidak ada yang disimpan. Bagi berkasnya, atau naikkan `[import] "
        "time_budget_s` di operation.toml.",
        "en": "Reading and checking file {file!r} took longer than the {limit} s allowed; the "
        "import was stopped and nothing was saved. Split the file, or raise `[import] "
        "time_budget_s` in operation.toml.",
    },
    "read.out_of_memory": {
        "id": "Berkas {file!r} terlalu besar untuk dibaca dengan memori yang ada. Bagi berkasnya.",
        "en": "File {file!r} is too large to read in the memory available. Split the file.",
    },
    "staffing.bad_row": {
        "id": "Baris pola {risk!r}: Polri dan Linmas minimal 0, TPS per kelompok dan Polri "
        "minimum minimal 1.",
        "en": "Preset row {risk!r}: Polri and Linmas must be 0 or more, TPS per group and the "
        "minimum Polri at least 1.",
    },
    "snapshot.no_browser": {
        "id": "Chromium tidak ditemukan; pasang dengan `sudo apt-get install chromium` untuk "
        "membuat PNG/PDF. Berkas HTML tetap dibuat.",
        "en": "Chromium was not found; install it with `sudo apt-get install chromium` to make "
        "PNG/PDF. The HTML file is still written.",
    },
    "snapshot.failed": {
        "id": "Chromium tidak dapat membuat {file!r}: {reason}",
        "en": "Chromium could not write {file!r}: {reason}",
    },
    "store.write_failed": {
        "id": "Ruang kerja {path!r} tidak dapat ditulis: {reason}. Tidak ada yang berubah.",
        "en": "Workspace {path!r} cannot be written: {reason}. Nothing was changed.",
    },
    "store.no_version": {
        "id": "Ruang kerja {path!r} belum menyimpan satu versi pun.",
        "en": "Workspace {path!r} holds no saved version.",
    },
    "store.no_such_version": {
        "id": "Versi {version} tidak ada; versi yang ada: {versions}.",
        "en": "Version {version} does not exist; versions: {versions}.",
    },
    "store.layer_unreadable": {
        "id": "Versi {version} di ruang kerja {path!r} tidak dapat dibaca (lapisan {layer!r}: "
        "{reason}).",
        "en": "Version {version} in workspace {path!r} cannot be read (layer {layer!r}: {reason}).",
    },
    "store.version_skipped": {
        "id": "Versi {version} ({saved_at}) rusak: lapisan {layer!r} hilang atau tak terbaca, "
        "jadi dilewati; yang ditampilkan versi {fallback}. Periksa ruang kerja dan cadangannya.",
        "en": "Version {version} ({saved_at}) is damaged: its layer {layer!r} is missing or "
        "unreadable, so it is skipped and version {fallback} is shown. Check the workspace and "
        "its backups.",
    },
    "db.bad_url": {
        "id": "Alamat basis data {url!r} tidak dikenal: pakai postgresql://pengguna@host/nama "
        "atau kosongkan POSKO_DATABASE_URL untuk penyimpanan di komputer ini.",
        "en": "Database address {url!r} is not understood: use postgresql://user@host/name, "
        "or leave POSKO_DATABASE_URL empty for storage on this computer.",
    },
    "db.unreachable": {
        "id": "Basis data {url} tidak dapat dibuka ({reason}). Tidak ada yang diubah.",
        "en": "Database {url} cannot be opened ({reason}). Nothing was changed.",
    },
    "store.damaged": {
        "id": "Ruang kerja {path!r} RUSAK ({reason}): riwayatnya tidak dapat dibaca, bukan "
        "berarti belum ada yang disimpan. Tidak ada yang diubah. {last_good} Cadangan "
        "terbaru: {backup}.",
        "en": "Workspace {path!r} is DAMAGED ({reason}): its history cannot be read, which "
        "does not mean nothing was saved. Nothing was changed. {last_good} Newest backup: "
        "{backup}.",
    },
    "store.last_good": {
        "id": "Versi baik terakhir yang masih terbaca: {version} ({saved_at}).",
        "en": "Last good version still readable: {version} ({saved_at}).",
    },
    "store.no_good_version": {
        "id": "Tidak ada versi yang masih terbaca.",
        "en": "No version can still be read.",
    },
    "store.conflict": {
        "id": "Versi {version} sudah disimpan pada {saved_at} oleh {who}, setelah versi {base} "
        "yang menjadi dasar perubahan ini. Tidak ada yang disimpan agar perubahan itu tidak "
        "hilang: muat ulang dan impor lagi.",
        "en": "Version {version} was saved at {saved_at} by {who}, after version {base} this "
        "change started from. Nothing was saved, so that change is not lost: reload and "
        "import again.",
    },
    "store.conflict_first": {
        "id": "Versi {version} sudah disimpan pada {saved_at} oleh {who}, sementara perubahan "
        "ini dibuat dari berkas operasi sendiri. Tidak ada yang disimpan agar perubahan itu "
        "tidak hilang: muat ulang dan impor lagi.",
        "en": "Version {version} was saved at {saved_at} by {who}, while this change started "
        "from the operation folder's own files. Nothing was saved, so that change is not "
        "lost: reload and import again.",
    },
    "store.base_gone": {
        "id": "Versi {base} yang menjadi dasar perubahan ini tidak ada lagi di ruang kerja "
        "{path!r}. Tidak ada yang disimpan: muat ulang dan impor lagi.",
        "en": "Version {base} this change started from is no longer in workspace {path!r}. "
        "Nothing was saved: reload and import again.",
    },
    "store.too_many_columns": {
        "id": "Data lokasi memiliki {columns} kolom; ruang kerja menampung paling banyak "
        "{limit}. Tidak ada yang ditulis; buang kolom yang tidak perlu.",
        "en": "The sites have {columns} columns; the workspace holds at most {limit}. Nothing "
        "was written; drop the columns not needed.",
    },
    "store.check_missing": {
        "id": "lapisan {layer!r} hilang",
        "en": "layer {layer!r} is missing",
    },
    "store.check_unreadable": {"id": "tidak terbaca: {reason}", "en": "unreadable: {reason}"},
    "store.check_not_finite": {
        "id": "{n} lokasi tanpa koordinat terhingga",
        "en": "{n} site(s) without finite coordinates",
    },
    "store.check_count": {
        "id": "berisi {found} lokasi, riwayat mencatat {sites}",
        "en": "holds {found} sites, the history says {sites}",
    },
    "store.check_ok": {"id": "baik ({sites} lokasi)", "en": "good ({sites} sites)"},
    "store.verify_summary": {
        "id": "{path}: {good} dari {total} versi baik",
        "en": "{path}: {good} of {total} versions good",
    },
    "store.integrity": {
        "id": "pemeriksaan SQLite atas seluruh berkas: {result}",
        "en": "SQLite check of the whole file: {result}",
    },
    "store.backup_made": {"id": "cadangan ditulis: {path}", "en": "backup written: {path}"},
    "audit.exported_by": {
        "id": "Diekspor oleh {who}, {at}",
        "en": "Exported by {who}, {at}",
    },
    "audit.title": {"id": "Jejak audit", "en": "Audit log"},
    "audit.intro": {
        "id": "Setiap perubahan pada operasi ini: siapa, kapan ({zone}), apa, versi sebelum dan "
        "sesudah. Catatan tidak dapat diubah atau dihapus.",
        "en": "Every change to this operation: who, when ({zone}), what, the version before "
        "and after. Records cannot be changed or deleted.",
    },
    "audit.none": {
        "id": "Belum ada catatan audit untuk operasi ini.",
        "en": "No audit records for this operation yet.",
    },
    "audit.filter": {"id": "Jenis perubahan", "en": "Kind of change"},
    "audit.filter_all": {"id": "Semua jenis", "en": "Every kind"},
    "audit.with_deployment": {
        "id": "Tampilkan juga perubahan pengguna dan hak akses",
        "en": "Also show changes of users and access",
    },
    "audit.shown": {
        "id": "{shown} dari {total} catatan",
        "en": "{shown} of {total} records",
    },
    "audit.download_csv": {"id": "Unduh jejak audit (CSV)", "en": "Download the audit log (CSV)"},
    "audit.col.at": {"id": "Waktu", "en": "Time"},
    "audit.col.who": {"id": "Oleh", "en": "By"},
    "audit.col.action": {"id": "Perubahan", "en": "Change"},
    "audit.col.what": {"id": "Keterangan", "en": "Details"},
    "audit.col.version_before": {"id": "Versi sebelum", "en": "Version before"},
    "audit.col.version_after": {"id": "Versi sesudah", "en": "Version after"},
    "audit.col.sha256": {"id": "SHA-256 berkas", "en": "File SHA-256"},
    # what an audit record says changed (stored as the key and its values, shown in the
    # reader's language; the English is also stored as the record's plain text)
    "audit.what.user_add": {
        "id": "pengguna {name!r} ditambahkan sebagai {role}",
        "en": "user {name!r} added as {role}",
    },
    "audit.what.user_passwd": {
        "id": "kata sandi {name!r} diganti",
        "en": "password of {name!r} set",
    },
    "audit.what.user_disable": {
        "id": "pengguna {name!r} dinonaktifkan",
        "en": "user {name!r} disabled",
    },
    "audit.what.user_enable": {
        "id": "pengguna {name!r} diaktifkan kembali",
        "en": "user {name!r} enabled",
    },
    "audit.what.grant": {
        "id": "{name!r} diberi akses ke {operation!r}",
        "en": "{name!r} granted {operation!r}",
    },
    "audit.what.revoke": {
        "id": "akses {name!r} ke {operation!r} dicabut",
        "en": "{operation!r} revoked from {name!r}",
    },
    "audit.what.store_migrate": {
        "id": "dipindahkan dari {source}: {versions} versi, {plans} versi rencana",
        "en": "moved from {source}: {versions} versions, {plans} plan versions",
    },
    "audit.what.rollback": {
        "id": "versi {version} dipulihkan",
        "en": "restored version {version}",
    },
    "audit.what.plan": {
        "id": "rencana {plan!r} ({plan_id})",
        "en": "plan {plan!r} ({plan_id})",
    },
    "audit.what.plan_detail": {
        "id": "rencana {plan!r} ({plan_id}): {detail}",
        "en": "plan {plan!r} ({plan_id}): {detail}",
    },
    "audit.what.plan_from": {"id": "dari {source!r}", "en": "from {source!r}"},
    "audit.what.plan_status": {"id": "{before} -> {after}", "en": "{before} -> {after}"},
    "audit.what.audit_csv": {"id": "jejak audit", "en": "audit log"},
    "audit.what.import": {"id": "{file}: {mode}", "en": "{file}: {mode}"},
    "audit.what.areas_import": {
        "id": "{file}: wilayah: {changes}",
        "en": "{file}: areas: {changes}",
    },
    "audit.what.roads_set": {
        "id": "{file} menjadi berkas jalan operasi",
        "en": "{file} made the operation's road file",
    },
    "audit.what.roads_removed": {
        "id": "berkas jalan operasi dihapus",
        "en": "the operation's road file removed",
    },
    "audit.what.area_level": {
        "id": "{level} {before} → {after}",
        "en": "{level} {before} → {after}",
    },
    "audit.what.plan_note": {"id": "catatan: {note!r}", "en": "note: {note!r}"},
    "audit.what.staffing_csv": {"id": "tabel kebutuhan personel", "en": "staffing table"},
    "audit.what.areas_csv": {"id": "tabel ringkasan wilayah", "en": "area summary table"},
    "audit.what.uncovered_csv": {"id": "tabel TPS tak terjangkau", "en": "uncovered TPS table"},
    "audit.what.compare_csv": {
        "id": "tabel perbandingan {a!r} dengan {b!r}",
        "en": "comparison table {a!r} vs {b!r}",
    },
    "audit.what.phase": {"id": "{what}, fase {phase}", "en": "{what}, phase {phase}"},
    "audit.what.paper": {"id": "{what}, {paper}", "en": "{what}, {paper}"},
    "audit.what.with_csv": {"id": "{what}, dengan daftar CSV", "en": "{what}, with CSV lists"},
    "audit.what.unsaved": {
        "id": "{what} dengan perubahan yang belum disimpan",
        "en": "{what} with unsaved changes",
    },
    "audit.what.briefing_version": {
        "id": "briefing rencana {plan!r} v{version}",
        "en": "briefing of plan {plan!r} v{version}",
    },
    "audit.what.briefing": {
        "id": "{what}, {paper}, {file}",
        "en": "{what}, {paper}, {file}",
    },
    "audit.what.briefing_plan": {
        "id": "briefing rencana {plan!r}",
        "en": "briefing of plan {plan!r}",
    },
    "audit.what.briefing_only": {"id": "briefing", "en": "briefing"},
    "audit.what.briefing_compare": {
        "id": "briefing perbandingan {a!r} dengan {b!r}",
        "en": "comparison briefing {a!r} vs {b!r}",
    },
    "audit.what.briefing_suggest": {"id": "briefing saran pos", "en": "suggestion briefing"},
    "audit.cli_header": {
        "id": "Jejak audit {operation} (waktu {zone}):",
        "en": "Audit log of {operation} (times in {zone}):",
    },
    "audit.cli_none": {
        "id": "Belum ada catatan audit untuk {operation}.",
        "en": "No audit records for {operation} yet.",
    },
    "store.migrate_nothing": {
        "id": "Ruang kerja {workspace!r} tidak berisi penyimpanan operasi (store.gpkg); tidak "
        "ada yang dipindahkan.",
        "en": "Workspace {workspace!r} holds no operation store (store.gpkg); nothing was moved.",
    },
    "store.migrate_exists": {
        "id": "Basis data {url} sudah berisi operasi {operations}; tidak ada yang dipindahkan "
        "agar tidak ada yang tertimpa. Pindahkan ke basis data yang belum berisi operasi itu.",
        "en": "Database {url} already holds operation(s) {operations}; nothing was moved, so "
        "nothing is overwritten. Move into a database that does not hold them yet.",
    },
    "store.migrate_unreadable": {
        "id": "Versi {version} operasi {operation!r} tidak terbaca ({problem}); memindahkannya "
        "berarti kehilangan versi itu, jadi tidak ada yang dipindahkan. Periksa dengan "
        "'posko store verify'.",
        "en": "Version {version} of operation {operation!r} cannot be read ({problem}); moving "
        "would lose it, so nothing was moved. Check it with 'posko store verify'.",
    },
    "store.migrate_differs": {
        "id": "Operasi {operation!r} versi {version}: {rows} baris di ruang kerja, {rows_moved} "
        "di basis data, atau checksum berbeda; operasi itu tidak dipindahkan.",
        "en": "Operation {operation!r} version {version}: {rows} rows in the workspace, "
        "{rows_moved} in the database, or the checksums differ; that operation was not moved.",
    },
    "store.migrate_users_differ": {
        "id": "Basis data {url} sudah berisi pengguna lain ({users}); tidak ada yang "
        "dipindahkan agar tidak ada akun yang tertimpa. Tambahkan --merge-users untuk "
        "menambahkan pengguna ruang kerja yang belum ada (akun yang sudah ada tetap seperti "
        "di basis data).",
        "en": "Database {url} already holds other users ({users}); nothing was moved, so no "
        "account is overwritten. Add --merge-users to add the workspace's users it lacks "
        "(accounts it holds stay as they are there).",
    },
    "store.migrate_deployment_differs": {
        "id": "Basis data penerapan: {rows} baris {what} di ruang kerja, {rows_moved} sama di "
        "basis data; akun, hak akses, dan audit tidak dipindahkan.",
        "en": "Deployment database: {rows} {what} rows in the workspace, {rows_moved} the same "
        "in the database; accounts, grants and audit were not moved.",
    },
    "store.migrate_deployment": {
        "id": "Akun: {users_moved} dari {users} dipindahkan{kept}; hak akses: {grants_moved} "
        "dari {grants}; catatan audit: {audit_moved} dari {audit} ditambahkan{skipped}; jumlah "
        "dan isi sama.",
        "en": "Accounts: {users_moved} of {users} moved{kept}; grants: {grants_moved} of "
        "{grants}; audit records: {audit_moved} of {audit} appended{skipped}; counts and "
        "contents the same.",
    },
    "store.migrate_skipped": {
        "id": " ({n} sudah ada di jejak audit basis data, tidak ditambahkan lagi)",
        "en": " ({n} already in the database's log, not appended again)",
    },
    "store.migrate_kept": {
        "id": " ({names} sudah ada di basis data, akunnya tetap)",
        "en": " ({names} already there, their accounts kept)",
    },
    "store.migrate_version": {
        "id": "{operation} v{version}: {rows} → {rows_moved} lokasi, SHA-256 {sha256} → "
        "{sha256_moved}: sama",
        "en": "{operation} v{version}: {rows} → {rows_moved} sites, SHA-256 {sha256} → "
        "{sha256_moved}: same",
    },
    "store.migrate_done": {
        "id": "{operations} operasi dipindahkan ke {url}: {versions} versi, {plans} versi "
        "rencana; jumlah dan checksum sama.",
        "en": "{operations} operation(s) moved to {url}: {versions} versions, {plans} plan "
        "versions; counts and checksums the same.",
    },
    "pgstore.integrity": {
        "id": "pemeriksaan PostgreSQL atas tabel penyimpanan: {result}",
        "en": "PostgreSQL check of the store tables: {result}",
    },
    "pgstore.not_postgresql": {
        "id": "{url} bukan basis data PostgreSQL; penyimpanan bersama memerlukan "
        "postgresql://pengguna@host/nama.",
        "en": "{url} is not a PostgreSQL database; the shared store needs "
        "postgresql://user@host/name.",
    },
    "read.bad_crs": {
        "id": "CRS {crs!r} tidak dikenal; tulis kode EPSG, mis. 'EPSG:32748'.",
        "en": "CRS {crs!r} is not known; give an EPSG code such as 'EPSG:32748'.",
    },
    "read.too_large": {
        "id": "Berkas {file!r} berukuran {size}; batasnya {limit}.",
        "en": "File {file!r} is {size}; the limit is {limit}.",
    },
    # --- import page
    "view.map": {"id": "Peta operasi", "en": "Operation map"},
    "view.import": {"id": "Impor data lokasi", "en": "Import site list"},
    "view.compare": {"id": "Bandingkan rencana", "en": "Compare plans"},
    "view.suggest": {"id": "Saran pos", "en": "Suggest posts"},
    "view.audit": {"id": "Jejak audit", "en": "Audit log"},
    "view.scenarios": {"id": "Skenario unjuk rasa", "en": "Demonstration scenarios"},
    "imp.title": {"id": "Impor data lokasi", "en": "Import a site list"},
    "imp.upload": {
        "id": "Berkas daftar lokasi (GeoJSON, CSV/TSV, Excel, KML/KMZ, GeoPackage, shapefile zip, "
        "Esri JSON)",
        "en": "Site list file (GeoJSON, CSV/TSV, Excel, KML/KMZ, GeoPackage, zipped shapefile, "
        "Esri JSON)",
    },
    "imp.upload_areas": {
        "id": "Berkas batas wilayah (GeoJSON, GeoPackage, shapefile zip, KML)",
        "en": "Boundary file (GeoJSON, GeoPackage, zipped shapefile, KML)",
    },
    "imp.upload_roads": {
        "id": "Berkas garis jalan (GeoPackage, GeoJSON)",
        "en": "Road line file (GeoPackage, GeoJSON)",
    },
    "imp.hint": {
        "id": "Unggah daftar TPS, pos, gedung atau titik unjuk rasa. Tidak ada yang disimpan "
        "sebelum Anda menekan 'Simpan ke operasi'.",
        "en": "Upload a list of polling stations, posts, buildings or demonstration points. "
        "Nothing is saved until you press 'Save into operation'.",
    },
    "imp.what": {"id": "Isi berkas", "en": "The file holds"},
    "imp.what_sites": {
        "id": "Lokasi (TPS, pos, gedung …)",
        "en": "Sites (TPS, posts, buildings …)",
    },
    "imp.what_areas": {"id": "Batas wilayah", "en": "Boundaries"},
    "imp.areas_hint": {
        "id": "Unggah batas kecamatan, kelurahan/desa atau sektor (GeoJSON, GeoPackage, shapefile "
        "zip, KML) dengan kolom kode dan nama (mis. `kode`, `nama`); kode Kemendagri/BPS "
        "seperti 19.71.02.1003 menentukan tingkat dan induknya. Tiap tingkat dalam berkas "
        "mengganti tingkat yang sama di operasi; tidak ada yang disimpan sebelum dikonfirmasi.",
        "en": "Upload kecamatan, kelurahan/desa or sector boundaries (GeoJSON, GeoPackage, zipped "
        "shapefile, KML) with code and name columns (e.g. `kode`, `nama`); Kemendagri/BPS codes "
        "such as 19.71.02.1003 give their level and parent. Each level in the file replaces "
        "that level of the operation; nothing is saved before you confirm.",
    },
    "imp.what_roads": {"id": "Jaringan jalan", "en": "Road network"},
    "imp.roads_hint": {
        "id": "Unggah garis jalan (GeoPackage atau GeoJSON dengan sistem koordinat). Dengan "
        "berkas jalan, jalur logistik dan waktu tiba pasukan cadangan di sasaran dihitung "
        "menyusuri jalan, bukan garis lurus. Tidak ada yang disimpan sebelum dikonfirmasi.",
        "en": "Upload road lines (GeoPackage or GeoJSON with a coordinate system). With a road "
        "file, logistics legs and reserves' arrival at a target are worked out along the roads, "
        "not in straight lines. Nothing is saved before you confirm.",
    },
    "imp.roads_none": {
        "id": "Operasi ini belum punya berkas jalan: jalur logistik dan waktu tiba cadangan "
        "dihitung dengan garis lurus.",
        "en": "This operation has no road file: logistics legs and reserves' arrival are worked "
        "out in straight lines.",
    },
    "imp.roads_current": {
        "id": "Operasi ini memakai berkas jalan ({lines} ruas): jalur logistik dan waktu tiba "
        "cadangan menyusuri jalan.",
        "en": "This operation uses a road file ({lines} lines): logistics legs and reserves' "
        "arrival follow the roads.",
    },
    "imp.roads_lines": {"id": "Ruas jalan", "en": "Road lines"},
    "imp.roads_km": {"id": "Panjang jalan", "en": "Road length"},
    "imp.roads_far": {
        "id": "Tidak ada ruas jalan dari {file} di wilayah operasi ini. Periksa apakah berkasnya "
        "benar sebelum menyimpan.",
        "en": "No road line of {file} lies in this operation's area. Check it is the right "
        "file before saving.",
    },
    "imp.roads_confirm": {
        "id": "Jadikan {file} berkas jalan operasi ini (menggantikan yang ada)",
        "en": "Make {file} this operation's road file (replacing the one it has)",
    },
    "imp.roads_save": {"id": "Simpan berkas jalan", "en": "Save the road file"},
    "imp.roads_saved": {
        "id": "Berkas jalan {file} disimpan ({lines} ruas): jalur logistik dan waktu tiba "
        "cadangan kini menyusuri jalan.",
        "en": "Road file {file} saved ({lines} lines): logistics legs and reserves' arrival now "
        "follow the roads.",
    },
    "imp.roads_remove": {"id": "Hapus berkas jalan", "en": "Remove the road file"},
    "imp.roads_remove_confirm": {
        "id": "Hapus berkas jalan operasi ini (jalur dan waktu tiba kembali garis lurus)",
        "en": "Remove this operation's road file (legs and arrival times in straight lines again)",
    },
    "imp.roads_removed": {
        "id": "Berkas jalan dihapus: jalur dan waktu tiba kembali dihitung dengan garis lurus.",
        "en": "Road file removed: legs and arrival times are worked out in straight lines again.",
    },
    "imp.areas_level": {"id": "Tingkat wilayah", "en": "Area level"},
    "imp.areas_field_code": {"id": "Kolom kode", "en": "Code column"},
    "imp.areas_field_name": {"id": "Kolom nama", "en": "Name column"},
    "imp.areas_field_level": {"id": "Kolom tingkat", "en": "Level column"},
    "imp.areas_field_parent": {"id": "Kolom kode induk", "en": "Parent code column"},
    "imp.areas_approximate": {
        "id": "Tandai semua batas sebagai perkiraan",
        "en": "Flag every boundary as approximate",
    },
    "imp.areas_derive": {
        "id": "Bentuk kecamatan dari kelurahan bila tidak ada di berkas",
        "en": "Form kecamatan from the kelurahan when the file has none",
    },
    "imp.areas_levels": {"id": "Wilayah per tingkat", "en": "Areas per level"},
    "imp.areas_preview": {
        "id": "Pratinjau wilayah (abu-abu putus-putus: batas operasi sekarang)",
        "en": "Preview of the areas (grey dashed: the operation's boundaries now)",
    },
    "imp.areas_current": {"id": "Batas wilayah sekarang", "en": "Boundaries now"},
    "imp.areas_before": {"id": "Sekarang", "en": "Now"},
    "imp.areas_after": {"id": "Sesudah", "en": "After"},
    "imp.areas_replaced": {"id": "Diganti", "en": "Replaced"},
    "imp.yes": {"id": "ya", "en": "yes"},
    "imp.no": {"id": "tidak", "en": "no"},
    "imp.areas_confirm_level": {
        "id": "{level} {before} → {after}",
        "en": "{level} {before} → {after}",
    },
    "imp.areas_confirm": {
        "id": "Saya setuju mengganti seluruh tingkat wilayah ini: {levels}.",
        "en": "I confirm replacing these whole area levels: {levels}.",
    },
    "imp.areas_saved": {
        "id": "Batas wilayah tersimpan sebagai versi {version}.",
        "en": "Boundaries saved as version {version}.",
    },
    "imp.layer": {"id": "Lapisan / sheet", "en": "Layer / sheet"},
    "imp.kind": {"id": "Semua baris adalah …", "en": "These are all …"},
    "imp.kind_column": {
        "id": "(menurut kolom jenis di berkas)",
        "en": "(from the file's kind column)",
    },
    "imp.crs": {
        "id": "CRS koordinat (kosong = otomatis), mis. EPSG:32748",
        "en": "CRS of the coordinates (empty = automatic), e.g. EPSG:32748",
    },
    "imp.coords": {"id": "Kolom koordinat", "en": "Coordinate columns"},
    "imp.coords_auto": {"id": "(otomatis: {found})", "en": "(automatic: {found})"},
    "imp.coord_x": {"id": "Bujur / X", "en": "Longitude / X"},
    "imp.coord_y": {"id": "Lintang / Y", "en": "Latitude / Y"},
    "imp.coord_pair": {"id": 'Satu kolom "lintang, bujur"', "en": 'One "lat, lon" column'},
    "imp.coord_wkt": {"id": "Kolom WKT", "en": "WKT column"},
    "imp.mapping": {"id": "Pemetaan kolom", "en": "Field mapping"},
    "imp.auto": {"id": "(otomatis)", "en": "(automatic)"},
    "imp.none": {"id": "(tidak ada)", "en": "(none)"},
    "imp.swap": {"id": "Tukar lintang dan bujur", "en": "Swap latitude and longitude"},
    "imp.row_fixes": {"id": "Terapkan koreksi per baris", "en": "Apply per-row corrections"},
    "imp.strict": {
        "id": "Tolak juga baris dengan peringatan",
        "en": "Also reject rows with warnings",
    },
    "imp.rows_read": {"id": "Baris dibaca", "en": "Rows read"},
    "imp.accepted": {"id": "Diterima", "en": "Accepted"},
    "imp.rejected": {"id": "Ditolak", "en": "Rejected"},
    "imp.fixes": {"id": "Perbaikan yang ditawarkan", "en": "Fixes offered"},
    "imp.report": {"id": "Laporan pemeriksaan", "en": "Check report"},
    "imp.filter_severity": {"id": "Tingkat", "en": "Severity"},
    "imp.filter_code": {"id": "Kode", "en": "Code"},
    "imp.preview": {"id": "Pratinjau lokasi yang diterima", "en": "Preview of the accepted sites"},
    "imp.download_rejected": {
        "id": "Unduh baris ditolak (CSV)",
        "en": "Download rejected rows (CSV)",
    },
    "imp.download_issues": {
        "id": "Unduh semua temuan per baris (CSV)",
        "en": "Download every finding by row (CSV)",
    },
    "imp.report_grouped": {
        "id": "Satu baris per kode temuan: jumlah baris, temuan pertama dan nomor {n} baris "
        "pertama. Daftar lengkap ada di unduhan CSV.",
        "en": "One line per finding code: how many rows, the first finding and the numbers "
        "of the first {n} rows. The full list is in the CSV download.",
    },
    "imp.mode": {"id": "Cara menyimpan", "en": "How to save"},
    "imp.mode_merge": {
        "id": "Tambah / perbarui menurut ID",
        "en": "Add / update by id",
    },
    "imp.mode_replace": {
        "id": "Ganti semua lokasi berjenis sama",
        "en": "Replace every site of the same kinds",
    },
    "imp.other_findings": {"id": "Temuan lain ({n})", "en": "Other findings ({n})"},
    "imp.accept_far": {
        "id": "Terima baris jauh dari wilayah (jumlah persis)",
        "en": "Accept rows far from the areas (exact number)",
    },
    "imp.summary": {"id": "Sebelum dan sesudah disimpan", "en": "Before and after saving"},
    "imp.added": {"id": "Baru", "en": "New"},
    "imp.updated": {"id": "Diperbarui", "en": "Updated"},
    "imp.removed": {"id": "Dihapus", "en": "Removed"},
    "imp.confirm": {
        "id": "Saya setuju: {added} lokasi baru, {updated} diperbarui, {removed} dihapus; "
        "TPS dari {tps_before} menjadi {tps_after}.",
        "en": "I confirm: {added} new sites, {updated} updated, {removed} removed; TPS from "
        "{tps_before} to {tps_after}.",
    },
    "imp.confirm_large": {
        "id": "Perhatian, sebagian besar satu jenis berubah: {large}.",
        "en": "Note: most of one kind changes: {large}.",
    },
    "imp.confirm_rollback": {
        "id": "Saya setuju memulihkan versi {version}: {now} lokasi sekarang diganti dengan "
        "{sites} lokasi versi itu.",
        "en": "I confirm restoring version {version}: the {now} sites now are replaced by that "
        "version's {sites}.",
    },
    "prev.areas": {"id": "Wilayah operasi", "en": "Operation areas"},
    "prev.existing": {"id": "Lokasi operasi sekarang", "en": "Sites already in the operation"},
    "prev.rejected": {"id": "Baris ditolak", "en": "Rejected rows"},
    "prev.rejected_row": {"id": "Baris {row} ditolak", "en": "Row {row} rejected"},
    "imp.far_list": {
        "id": "Baris jauh dari wilayah operasi (tidak ditampilkan pada peta)",
        "en": "Rows far from the operation's area (the map does not zoom to them)",
    },
    "imp.matches": {"id": "Hasil pencocokan per baris", "en": "What each row does"},
    "imp.filter_match": {"id": "Tampilkan hasil", "en": "Show results"},
    "col.match": {"id": "Hasil", "en": "Result"},
    "col.changed": {"id": "Perubahan / lokasi", "en": "Changes / site"},
    "imp.post_types": {
        "id": "Jenis pos yang belum dikenal: pilih untuk setiap nilai (tanpa pilihan, barisnya "
        "ditolak)",
        "en": "Unknown post types: choose one for each value (rows left without one are rejected)",
    },
    "imp.post_type_empty": {"id": "(kosong)", "en": "(empty)"},
    "imp.post_type_reject": {"id": "— tolak barisnya —", "en": "— reject the rows —"},
    "imp.saved_figures": {
        "id": "Tersimpan sebagai versi {version}: {sites} lokasi dalam operasi. Sekarang: "
        "{tps} TPS, {share} terjangkau, {uncovered} TPS tak terjangkau, kebutuhan {police} "
        "personel Polri.",
        "en": "Saved as version {version}: {sites} sites in the operation. Now: {tps} polling "
        "stations, {share} covered, {uncovered} uncovered, {police} police needed.",
    },
    "imp.save": {"id": "Simpan ke operasi", "en": "Save into operation"},
    "imp.saved": {
        "id": "Tersimpan sebagai versi {version}: {sites} lokasi dalam operasi.",
        "en": "Saved as version {version}: {sites} sites in the operation.",
    },
    "imp.nothing": {"id": "Tidak ada baris yang diterima.", "en": "No row was accepted."},
    "imp.history": {"id": "Riwayat versi", "en": "Version history"},
    "imp.rollback": {"id": "Kembalikan versi", "en": "Restore version"},
    "imp.rolled_back": {
        "id": "Versi {old} dipulihkan sebagai versi {version}.",
        "en": "Version {old} restored as version {version}.",
    },
    "col.row": {"id": "Baris", "en": "Row"},
    "col.column": {"id": "Kolom", "en": "Column"},
    "col.severity": {"id": "Tingkat", "en": "Severity"},
    "col.code": {"id": "Kode", "en": "Code"},
    "col.count": {"id": "Jumlah baris", "en": "Rows"},
    "col.first_rows": {"id": "Baris pertama", "en": "First rows"},
    "col.message": {"id": "Temuan", "en": "Finding"},
    "col.fix": {"id": "Perbaikan", "en": "Fix"},
    "sev.error": {"id": "kesalahan", "en": "error"},
    "sev.warning": {"id": "peringatan", "en": "warning"},
    "sev.info": {"id": "catatan", "en": "note"},
    # --- briefing
    "brief.figures": {"id": "Ringkasan", "en": "Figures"},
    "brief.plan_draft": {
        "id": "DRAF — rencana ini belum disetujui pimpinan; bukan perintah penugasan.",
        "en": "DRAFT — this plan is not yet approved by the commander; not a deployment order.",
    },
    "brief.print_draft": {"id": "DRAF", "en": "DRAFT"},
    "brief.print_proposed": {"id": "DIAJUKAN", "en": "PROPOSED"},
    "brief.print_approved": {"id": "DISETUJUI", "en": "APPROVED"},
    "brief.plan_initial_draft": {
        "id": "DRAF — {name} (pos hasil impor) belum disetujui pimpinan; bukan perintah penugasan.",
        "en": "DRAFT — the {name} (the imported posts) is not yet approved by the commander; "
        "not a deployment order.",
    },
    "brief.plan_proposed": {
        "id": "DIAJUKAN — rencana ini menunggu persetujuan pimpinan; bukan perintah penugasan.",
        "en": "PROPOSED — this plan awaits the commander's approval; not a deployment order.",
    },
    "brief.plan_unsaved": {
        "id": "DRAF — termasuk perubahan yang belum disimpan dan belum disetujui pimpinan.",
        "en": "DRAFT — includes changes not saved and not approved by the commander.",
    },
    "brief.plan_approved": {
        "id": "DISETUJUI — rencana ini telah disetujui pimpinan.",
        "en": "APPROVED — this plan is approved by the commander.",
    },
    "brief.plan_approved_by": {
        "id": "DISETUJUI — rencana ini disetujui oleh {who} pada {when}.",
        "en": "APPROVED — this plan was approved by {who} on {when}.",
    },
    "brief.plan_approved_at": {
        "id": "DISETUJUI — rencana ini disetujui pada {when}.",
        "en": "APPROVED — this plan was approved on {when}.",
    },
    "brief.coverage_by_risk": {
        "id": "Jangkauan TPS per kerawanan",
        "en": "TPS coverage by risk class",
    },
    "brief.none": {"id": "Tidak ada.", "en": "None."},
    "brief.by_area": {"id": "Jangkauan TPS per {level}", "en": "TPS coverage by {level}"},
    "brief.more_in_file": {
        "id": "{shown} dari {total} ditampilkan ({order}) … dan {more} lainnya — daftar lengkap "
        "di berkas {file}.",
        "en": "{shown} of {total} shown ({order}) … and {more} more — full list in file {file}.",
    },
    "brief.more_no_file": {
        "id": "{shown} dari {total} ditampilkan ({order}) … dan {more} lainnya — daftar lengkap: "
        "unduhan briefing + CSV di aplikasi, atau posko brief --with-csv.",
        "en": "{shown} of {total} shown ({order}) … and {more} more — full list: the briefing + "
        "CSV download in the app, or posko brief --with-csv.",
    },
    "brief.order_gravest": {"id": "paling rawan lebih dulu", "en": "gravest first"},
    "brief.order_areas": {
        "id": "TPS tak terjangkau terbanyak lebih dulu",
        "en": "most polling stations not covered first",
    },
    "brief.order_shortfall": {
        "id": "kekurangan terbesar lebih dulu",
        "en": "largest shortfall first",
    },
    "brief.order_demo": {
        "id": "yang tak terjangkau dan mengancam gedung lebih dulu",
        "en": "not covered and threatening a building first",
    },
    "brief.files": {
        "id": "Daftar lengkap terlampir sebagai berkas CSV: {files}.",
        "en": "Full lists attached as CSV files: {files}.",
    },
    "brief.demo_points": {
        "id": "Titik unjuk rasa dan pos terdekat",
        "en": "Demonstration points and nearest post",
    },
    "brief.staffing": {"id": "Kebutuhan personel ({preset})", "en": "Staff needed ({preset})"},
    "brief.staffing_totals": {
        "id": "Polri dibutuhkan {polri} (termasuk {warehouses} gudang PPK), TNI {tni}; tersedia "
        "di pos {available}; kekurangan {shortfall} (dijumlah per wilayah).",
        "en": "Police needed {polri} (including {warehouses} PPK warehouses), TNI {tni}; at the "
        "posts {available}; short {shortfall} (summed area by area).",
    },
    "brief.headline_coverage": {
        "id": "TPS terjangkau pos: {covered} dari {total} ({share}); {uncovered} TPS di luar "
        "jangkauan. Skor berbobot kerawanan: {score}.",
        "en": "TPS within reach of a post: {covered} of {total} ({share}); {uncovered} TPS "
        "beyond reach. Risk-weighted score: {score}.",
    },
    "brief.headline_staffing": {
        "id": "Polri dibutuhkan {polri} = {tps} penjaga TPS + {warehouse_guards} penjaga gudang "
        "PPK ({warehouses} gudang × {per_warehouse}) · pola {preset}. Linmas {linmas}, "
        "TNI {tni}; tersedia di pos {available}; kekurangan {shortfall} (dijumlah per "
        "wilayah).",
        "en": "Police needed {polri} = {tps} TPS guards + {warehouse_guards} PPK warehouse "
        "guards ({warehouses} warehouses × {per_warehouse}) · preset {preset}. Linmas "
        "{linmas}, TNI {tni}; at the posts {available}; short {shortfall} (summed area by "
        "area).",
    },
    "brief.assumptions": {"id": "Dasar perhitungan", "en": "Assumptions"},
    "brief.assume_radii": {
        "id": "Radius jangkauan pos: {radii}.",
        "en": "Post reach radius: {radii}.",
    },
    "brief.assume_preset": {
        "id": "Pola pengamanan TPS {preset} (Polri per kelompok / TPS per kelompok): {groups}; "
        "minimal {min_polri} Polri per kelompok; gudang PPK {per_warehouse} Polri + {tni} TNI.",
        "en": "TPS staffing preset {preset} (police per group / TPS per group): {groups}; at "
        "least {min_polri} police per group; PPK warehouse {per_warehouse} police + {tni} TNI.",
    },
    "brief.assume_weights": {
        "id": "Bobot kerawanan untuk skor berbobot: {weights}.",
        "en": "Risk weights of the weighted score: {weights}.",
    },
    "brief.assume_roads": {
        "id": "Jalur logistik dan waktu tiba cadangan menyusuri berkas jalan operasi (rute "
        "terpendek), bukan garis lurus.",
        "en": "Logistics legs and reserves' arrival times follow the operation's road file "
        "(shortest route), not straight lines.",
    },
    "brief.outliers": {
        "id": "Lokasi jauh di luar wilayah operasi (tidak ikut menentukan batas peta; dapat "
        "dicari di peta): {sites}.",
        "en": "Sites far outside the operation's areas (not used to frame the map; findable "
        "with the map search): {sites}.",
    },
    "brief.outlier_item": {"id": "{name} ({distance})", "en": "{name} ({distance})"},
    # --- demonstration scenarios (scenarios.toml; page, briefing section, CLI)
    "scenario.invalid": {
        "id": "Berkas skenario {file!r} tidak sah: {problems}",
        "en": "Scenario file {file!r} is invalid: {problems}",
    },
    "scenario.bad_toml": {
        "id": "Berkas skenario {file!r} bukan TOML yang sah: {reason}.",
        "en": "Scenario file {file!r} is not valid TOML: {reason}.",
    },
    "scenario.unknown_key": {
        "id": "Kunci `{where}` tidak dikenal; seharusnya salah satu dari: {expected}.",
        "en": "Unknown key `{where}`; expected one of: {expected}.",
    },
    "scenario.not_table": {
        "id": "`{where}` harus berupa tabel ([{where}]).",
        "en": "`{where}` must be a table ([{where}]).",
    },
    "scenario.not_tables": {
        "id": "`{where}` harus berupa daftar tabel ([[{where}]] atau [{{…}}, {{…}}]).",
        "en": "`{where}` must be a list of tables ([[{where}]] or [{{…}}, {{…}}]).",
    },
    "scenario.missing": {"id": "`{where}` tidak ada.", "en": "`{where}` is missing."},
    "scenario.not_text": {
        "id": "`{where}` berisi {value!r}; seharusnya teks.",
        "en": "`{where}` is {value!r}; expected a text.",
    },
    "scenario.not_number": {
        "id": "`{where}` berisi {value!r}; seharusnya angka.",
        "en": "`{where}` is {value!r}; expected a number.",
    },
    "scenario.above": {
        "id": "`{where}` berisi {value!r}; seharusnya angka di atas {limit}.",
        "en": "`{where}` is {value!r}; expected a number above {limit}.",
    },
    "scenario.at_least": {
        "id": "`{where}` berisi {value!r}; seharusnya {limit} atau lebih.",
        "en": "`{where}` is {value!r}; expected {limit} or more.",
    },
    "scenario.count": {
        "id": "`{where}` berisi {value!r}; seharusnya bilangan bulat, 0 atau lebih (tidak "
        "boleh negatif).",
        "en": "`{where}` is {value!r}; expected a whole number, 0 or more (not negative).",
    },
    "scenario.point": {
        "id": "`{where}` berisi {value!r}; seharusnya bujur dan lintang dalam derajat (bujur "
        "−180…180, lintang −90…90).",
        "en": "`{where}` is {value!r}; expected longitude and latitude in degrees (longitude "
        "−180…180, latitude −90…90).",
    },
    "scenario.line": {
        "id": "`{where}` berisi {value!r}; seharusnya garis dari 2 titik [bujur, lintang] atau "
        "lebih.",
        "en": "`{where}` is {value!r}; expected a line of 2 or more [longitude, latitude] points.",
    },
    "scenario.unknown_target": {
        "id": "`{where}` berisi {value!r}: tidak ada lokasi operasi dengan site_id ini; "
        "sasaran harus gedung pemerintahan, mis.: {expected}.",
        "en": "`{where}` is {value!r}: no site of the operation has this site_id; the target "
        "must be a government building, e.g.: {expected}.",
    },
    "scenario.unknown_target_kind": {
        "id": "`{where}` berisi {value!r}: lokasi ini berjenis {kind!r}; sasaran harus gedung "
        "pemerintahan (government).",
        "en": "`{where}` is {value!r}: this site is a {kind!r}; the target must be a "
        "government building (government).",
    },
    "scenario.unknown_post": {
        "id": "`{where}` berisi {value!r}: tidak ada pos polisi dengan site_id ini; mis.: "
        "{expected}.",
        "en": "`{where}` is {value!r}: no police post has this site_id; e.g.: {expected}.",
    },
    "scenario.unknown_post_kind": {
        "id": "`{where}` berisi {value!r}: lokasi ini berjenis {kind!r}; pangkalan cadangan "
        "harus pos polisi (police_post).",
        "en": "`{where}` is {value!r}: this site is a {kind!r}; a reserve's base must be a "
        "police post (police_post).",
    },
    "scenario.unknown_phase": {
        "id": "`{where}` berisi {value!r}; seharusnya salah satu tahap operasi: {expected}.",
        "en": "`{where}` is {value!r}; expected one of the operation's phases: {expected}.",
    },
    "scenario.origins": {
        "id": '`{where}` berisi {value!r}; seharusnya daftar asal massa: "local" (kota '
        "sendiri) atau nama kabupaten/kota lain.",
        "en": '`{where}` is {value!r}; expected a list of crowd origins: "local" (this '
        "city) or the names of other regencies/cities.",
    },
    "scenario.ring_range": {
        "id": "`{where}` berisi {value!r}; seharusnya nomor ring 1 sampai 4.",
        "en": "`{where}` is {value!r}; expected a ring number from 1 to 4.",
    },
    "scenario.ring_no_radius": {
        "id": "`{where}` berisi {value!r}, tetapi `ring_zones_m` operasi hanya memuat {count} "
        "ring.",
        "en": "`{where}` is {value!r}, but the operation's `ring_zones_m` has only {count} rings.",
    },
    "scenario.ring_twice": {
        "id": "`{where}`: ring {value} disebut dua kali; satukan satuannya dalam satu ring.",
        "en": "`{where}`: ring {value} is listed twice; put its units in one ring.",
    },
    "scenario.not_bool": {
        "id": "`{where}` berisi {value!r}; seharusnya true atau false.",
        "en": "`{where}` is {value!r}; expected true or false.",
    },
    "scenario.unknown_unit": {
        "id": "`{where}` berisi {value!r}; seharusnya salah satu dari: {expected}.",
        "en": "`{where}` is {value!r}; expected one of: {expected}.",
    },
    "scenario.reserve_base": {
        "id": "`{where}`: isi `site_id` pos pangkalan atau `lon` dan `lat`, salah satu saja.",
        "en": "`{where}`: give either the base post's `site_id` or `lon` and `lat`, not both.",
    },
    "scenario.reserve_unit_differs": {
        "id": "`{where}` berisi {value!r}, padahal pos cadangan {post} tercatat sebagai satuan "
        "{unit!r}; periksa site_id yang dirujuk.",
        "en": "`{where}` is {value!r}, but the reserve post {post} is recorded as unit "
        "{unit!r}; check the site_id it names.",
    },
    "scenario.reserve_phase": {
        "id": "`{where}`: pos cadangan {value} hanya disiagakan pada tahap {phases}, bukan pada "
        "tahap skenario ini ({phase}).",
        "en": "`{where}`: the reserve post {value} stands by only in the phase(s) {phases}, not "
        "in this scenario's phase ({phase}).",
    },
    "scenario.strength_from_post": {
        "id": "kekuatan {n} dari pos cadangan {post} (berkas skenario menyebut {given})",
        "en": "strength {n} from the reserve post {post} (the scenario file says {given})",
    },
    "scenario.duplicate_id": {
        "id": "`{where}` berisi {value!r}, yang sudah dipakai skenario lain.",
        "en": "`{where}` is {value!r}, already used by another scenario.",
    },
    "scenario.none": {
        "id": "Operasi ini belum memiliki skenario unjuk rasa (berkas `scenarios.toml` di "
        "folder operasi).",
        "en": "This operation has no demonstration scenarios yet (a `scenarios.toml` file in "
        "the operation folder).",
    },
    "scenario.pick": {"id": "Skenario", "en": "Scenario"},
    "scenario.title": {"id": "Skenario unjuk rasa", "en": "Demonstration scenarios"},
    "scenario.unavailable": {
        "id": "Skenario tidak dapat ditampilkan: {reason}",
        "en": "The scenarios cannot be shown: {reason}",
    },
    "scenario.target": {
        "id": "Sasaran: {target} · Tahap: {phase}",
        "en": "Target: {target} · Phase: {phase}",
    },
    "scenario.assumptions": {"id": "Asumsi", "en": "Assumptions"},
    "scenario.assume_crowd": {
        "id": "Perkiraan massa: {n} orang (asumsi).",
        "en": "Expected crowd: {n} people (assumption).",
    },
    "scenario.assume_origins": {
        "id": "Asal massa: {origins} (asumsi).",
        "en": "Crowd origin: {origins} (assumption).",
    },
    "scenario.assume_travel": {
        "id": "Waktu tiba cadangan = jarak garis lurus × faktor jalan ÷ kecepatan (asumsi per "
        "cadangan, lihat tabel); bukan rute jalan.",
        "en": "Reserve arrival = straight-line distance × road factor ÷ speed (assumed per "
        "reserve, see the table); not a road route.",
    },
    "scenario.assume_travel_roads": {
        "id": "Waktu tiba cadangan = jarak terpendek menyusuri jalan di berkas jalan ÷ "
        "kecepatan (asumsi per cadangan, lihat tabel); kemacetan tidak dihitung.",
        "en": "Reserve arrival = shortest distance along the road file ÷ speed (assumed per "
        "reserve, see the table); traffic is not counted.",
    },
    "scenario.assume_note": {"id": "Catatan: {note}", "en": "Note: {note}"},
    "scenario.origin_local": {"id": "setempat (kota sendiri)", "en": "local (this city)"},
    "scenario.figures": {"id": "Ringkasan skenario", "en": "Scenario figures"},
    "scenario.row.ring": {"id": "Ring {ring} ({radius})", "en": "Ring {ring} ({radius})"},
    "scenario.row.deployed": {"id": "Personel di ring", "en": "Personnel on the rings"},
    "scenario.row.dalmas": {"id": "di antaranya Dalmas", "en": "of which Dalmas"},
    "scenario.row.reserves": {"id": "Kekuatan cadangan", "en": "Reserves' strength"},
    "scenario.row.total": {"id": "Jumlah personel", "en": "Total personnel"},
    "scenario.row.first": {"id": "Cadangan pertama tiba", "en": "First reserve arrives"},
    "scenario.row.last": {"id": "Cadangan terakhir tiba", "en": "Last reserve arrives"},
    "scenario.minutes": {"id": "{n} menit", "en": "{n} min"},
    "scenario.late": {
        "id": "Tiba lebih dari {n} menit: {names}.",
        "en": "Arriving after more than {n} min: {names}.",
    },
    "scenario.in_time": {
        "id": "Semua cadangan tiba dalam {n} menit.",
        "en": "Every reserve arrives within {n} min.",
    },
    "scenario.col.item": {"id": "Uraian", "en": "Item"},
    "scenario.col.value": {"id": "Jumlah", "en": "Figure"},
    "scenario.col.ring": {"id": "Ring", "en": "Ring"},
    "scenario.col.radius": {"id": "Radius", "en": "Radius"},
    "scenario.col.units": {"id": "Satuan", "en": "Units"},
    "scenario.col.personnel": {"id": "Personel", "en": "Personnel"},
    "scenario.col.dalmas": {"id": "Dalmas", "en": "Dalmas"},
    "scenario.col.reserve": {"id": "Cadangan", "en": "Reserve"},
    "scenario.col.unit": {"id": "Jenis", "en": "Type"},
    "scenario.col.strength": {"id": "Kekuatan", "en": "Strength"},
    "scenario.col.base": {"id": "Pangkalan", "en": "Base"},
    "scenario.col.distance": {"id": "Jarak lurus", "en": "Straight line"},
    "scenario.col.speed": {"id": "Kecepatan × faktor jalan", "en": "Speed × road factor"},
    "scenario.col.minutes": {"id": "Waktu tiba", "en": "Arrival"},
    "scenario.col.note": {"id": "Catatan", "en": "Note"},
    "scenario.speed": {"id": "{speed} km/jam × {detour}", "en": "{speed} km/h × {detour}"},
    "scenario.speed_road": {
        "id": "{speed} km/jam, {road} lewat jalan",
        "en": "{speed} km/h, {road} by road",
    },
    "scenario.speed_unrouted": {
        "id": "{speed} km/jam × {detour}, garis lurus: {why}",
        "en": "{speed} km/h × {detour}, straight line: {why}",
    },
    "scenario.unrouted.off_road": {
        "id": "pangkalan atau sasaran lebih dari {snap} dari jalan di berkas jalan",
        "en": "the base or the target lies more than {snap} from every road of the road file",
    },
    "scenario.unrouted.not_joined": {
        "id": "jalan di berkas jalan tidak menghubungkan pangkalan dengan sasaran",
        "en": "the roads of the road file do not join the base to the target",
    },
    "scenario.col.speed_road": {"id": "Kecepatan, jarak jalan", "en": "Speed, road distance"},
    "scenario.late_mark": {"id": "terlambat", "en": "late"},
    "scenario.rings_title": {"id": "Penempatan ring", "en": "Ring deployment"},
    "scenario.reserves_title": {
        "id": "Cadangan dan waktu tiba",
        "en": "Reserves and arrival times",
    },
    "scenario.unit.dalmas": {"id": "Dalmas", "en": "Dalmas (crowd control)"},
    "scenario.unit.brimob": {"id": "Brimob", "en": "Brimob"},
    "scenario.unit.backup": {"id": "BKO Polda", "en": "Polda backup"},
    "scenario.unit.perintis": {"id": "Pasukan perintis", "en": "Perintis squad"},
    "scenario.layer.target": {"id": "Sasaran", "en": "Target"},
    "scenario.layer.rings": {"id": "Ring pengamanan", "en": "Security rings"},
    "scenario.layer.corridors": {"id": "Jalur kedatangan massa", "en": "Crowd arrival routes"},
    "scenario.layer.assembly": {"id": "Titik kumpul massa", "en": "Crowd assembly points"},
    "scenario.layer.reserves": {"id": "Cadangan", "en": "Reserves"},
    "scenario.tip_ring": {
        "id": "Ring {ring} ({radius}): {personnel} personel",
        "en": "Ring {ring} ({radius}): {personnel} personnel",
    },
    "scenario.tip_reserve": {
        "id": "{name}: {strength} personel, tiba ± {minutes} menit ({distance} garis lurus)",
        "en": "{name}: {strength} personnel, arrives in ± {minutes} min ({distance} straight)",
    },
    "scenario.inset": {
        "id": "Peta: ring 1–4 di sekitar sasaran, garis lurus dari pangkalan cadangan (bukan "
        "rute jalan), jalur dan titik kumpul massa.",
        "en": "Map: rings 1–4 around the target, straight lines from the reserves' bases (not "
        "road routes), crowd routes and assembly points.",
    },
    "scenario.inset_roads": {
        "id": "Peta: ring 1–4 di sekitar sasaran, rute jalan dari pangkalan cadangan (garis "
        "lurus bila jalan tidak sampai), jalur dan titik kumpul massa.",
        "en": "Map: rings 1–4 around the target, the road routes from the reserves' bases "
        "(straight where the roads do not reach), crowd routes and assembly points.",
    },
    "scenario.inset_all": {"id": "Ikhtisar", "en": "Overview"},
    "scenario.inset_rings": {"id": "Ring 1–4 (berskala)", "en": "Rings 1–4 (to scale)"},
    "scenario.cli_head": {
        "id": "{name} — {target} (tahap {phase})",
        "en": "{name} — {target} (phase {phase})",
    },
    # --- comparing two plans (CLI, briefing, compare page)
    "compare.plan_label": {"id": "{name} ({status})", "en": "{name} ({status})"},
    "compare.plan_initial_label": {
        "id": "{name} (dari pos yang diimpor)",
        "en": "{name} (from the imported posts)",
    },
    "compare.brief_plan": {"id": "Rencana: {plan}", "en": "Plan: {plan}"},
    "compare.brief_plan_version": {
        "id": "Rencana: {plan} · versi {version}",
        "en": "Plan: {plan} · version {version}",
    },
    "compare.brief_unsaved": {
        "id": "Termasuk perubahan yang belum disimpan",
        "en": "Includes unsaved changes",
    },
    "compare.different_sites": {
        "id": "Kedua rencana tidak dapat dibandingkan: daftar lokasinya berbeda ({a} / {b}). "
        "Bandingkan dua rencana dari operasi yang sama.",
        "en": "The two plans cannot be compared: their site lists differ ({a} / {b}). "
        "Compare two plans of the same operation.",
    },
    "compare.plan_and_compare": {
        "id": "--plan dan --compare tidak dapat dipakai bersama: pilih satu.",
        "en": "--plan and --compare cannot be used together: pick one.",
    },
    "cli.csv_and_compare": {
        "id": "--with-csv hanya untuk briefing satu rencana, bukan --compare.",
        "en": "--with-csv is for the briefing of one plan, not with --compare.",
    },
    "cli.roads_and_compare": {
        "id": "--roads hanya untuk briefing satu rencana, bukan --compare (perbandingan memakai "
        "berkas jalan operasi: posko roads set).",
        "en": "--roads is for the briefing of one plan, not with --compare (the comparison uses "
        "the operation's road file: posko roads set).",
    },
    "compare.same_plan": {
        "id": "Pilih dua rencana yang berbeda untuk dibandingkan.",
        "en": "Pick two different plans to compare.",
    },
    "compare.title": {"id": "Perbandingan rencana: {a} ↔ {b}", "en": "Plans compared: {a} ↔ {b}"},
    "compare.side": {"id": "Rencana {side}: {plan}", "en": "Plan {side}: {plan}"},
    "compare.same_assumptions": {
        "id": "Dasar perhitungan (sama untuk A dan B)",
        "en": "Assumptions (the same for A and B)",
    },
    "compare.col.section": {"id": "Bagian", "en": "Section"},
    "compare.col.item": {"id": "Uraian", "en": "Item"},
    "compare.col.plan": {"id": "{side}: {name}", "en": "{side}: {name}"},
    "compare.col.difference": {"id": "Selisih (B − A)", "en": "Difference (B − A)"},
    "compare.col.post_a": {"id": "Pos terdekat di A", "en": "Nearest post in A"},
    "compare.col.post_b": {"id": "Pos terdekat di B", "en": "Nearest post in B"},
    "compare.section.coverage": {"id": "Jangkauan TPS", "en": "TPS coverage"},
    "compare.section.demonstration": {"id": "Titik unjuk rasa", "en": "Demonstration points"},
    "compare.section.staffing": {"id": "Personel", "en": "Staffing"},
    "compare.section.area": {"id": "Jangkauan per {level}", "en": "Coverage per {level}"},
    "compare.section.area_staffing": {
        "id": "Kekurangan personel per {level}",
        "en": "Staff shortfall per {level}",
    },
    "compare.row.tps_covered": {
        "id": "TPS terjangkau (dari {n})",
        "en": "TPS covered (of {n})",
    },
    "compare.row.risk_covered": {"id": "TPS terjangkau · {risk}", "en": "TPS covered · {risk}"},
    "compare.row.weighted_score": {
        "id": "Skor berbobot kerawanan (%)",
        "en": "Risk-weighted score (%)",
    },
    "compare.row.demo_reached": {
        "id": "Titik unjuk rasa terjangkau (dari {n})",
        "en": "Demonstration points reached (of {n})",
    },
    "compare.row.polri": {"id": "Polri dibutuhkan", "en": "Police needed"},
    "compare.row.available": {"id": "Personel tersedia di pos", "en": "Staff at the posts"},
    "compare.row.shortfall": {
        "id": "Kekurangan (dijumlah per wilayah)",
        "en": "Shortfall (summed area by area)",
    },
    "compare.row.area_covered": {"id": "{area}: TPS terjangkau", "en": "{area}: TPS covered"},
    "compare.row.area_shortfall": {"id": "{area}: kekurangan", "en": "{area}: shortfall"},
    "compare.gained": {
        "id": "TPS terjangkau di B, tidak di A ({n})",
        "en": "TPS covered in B, not in A ({n})",
    },
    "compare.lost": {
        "id": "TPS terjangkau di A, tidak di B ({n})",
        "en": "TPS covered in A, not in B ({n})",
    },
    "compare.difference_table": {"id": "Tabel selisih", "en": "Difference table"},
    "compare.legend_gained": {"id": "TPS baru terjangkau (B)", "en": "TPS gained (B)"},
    "compare.legend_lost": {"id": "TPS tidak terjangkau lagi (B)", "en": "TPS lost (B)"},
    "compare.layer_gained": {"id": "TPS bertambah", "en": "TPS gained"},
    "compare.layer_lost": {"id": "TPS berkurang", "en": "TPS lost"},
    "compare.tip_gained": {
        "id": "Terjangkau di B ({post_b}), tidak di A",
        "en": "Covered in B ({post_b}), not in A",
    },
    "compare.tip_lost": {
        "id": "Terjangkau di A ({post_a}), tidak di B",
        "en": "Covered in A ({post_a}), not in B",
    },
    "compare.headline": {
        "id": "TPS terjangkau: A {a} · B {b} (selisih {diff}); {gained} TPS bertambah, "
        "{lost} TPS berkurang. Skor berbobot: A {score_a} · B {score_b}. Kekurangan "
        "personel: A {short_a} · B {short_b}.",
        "en": "TPS covered: A {a} · B {b} (difference {diff}); {gained} TPS gained, {lost} "
        "TPS lost. Weighted score: A {score_a} · B {score_b}. Staff shortfall: A {short_a} "
        "· B {short_b}.",
    },
    "compare.no_change": {
        "id": "Tidak ada TPS yang berubah status jangkauannya.",
        "en": "No TPS changes between covered and not covered.",
    },
    "compare.need_two_viewer": {
        "id": "Operasi ini baru punya {n} rencana; perbandingan butuh dua. Perencana dapat "
        "membuat rencana kedua; setelah itu perbandingannya tampil di sini.",
        "en": "This operation has {n} plan(s) so far; comparing needs two. A planner can make "
        "a second plan; the comparison then shows here.",
    },
    "compare.pick_a": {"id": "Rencana A", "en": "Plan A"},
    "compare.pick_b": {"id": "Rencana B", "en": "Plan B"},
    "compare.need_two": {
        "id": "Operasi ini baru punya {n} rencana; perbandingan butuh dua. Buat rencana baru "
        "(salinan rencana sekarang) di panel Rencana pada halaman peta, atau dengan "
        "`posko plan copy`, ubah posnya, lalu kembali ke sini.",
        "en": "This operation has {n} plan(s) so far; comparing needs two. Make a new plan "
        "(a copy of the current one) in the Plans panel of the map page, or with "
        "`posko plan copy`, change its posts, then come back here.",
    },
    "compare.download_csv": {
        "id": "Unduh tabel selisih (CSV)",
        "en": "Download difference table (CSV)",
    },
    "compare.download_brief": {
        "id": "Unduh briefing perbandingan (HTML)",
        "en": "Download comparison briefing (HTML)",
    },
    # --- lessons from the previous operation (geo/history.py, layers/brief_history.py)
    "history.title": {
        "id": "Pelajaran dari operasi sebelumnya",
        "en": "Lessons from the previous operation",
    },
    "history.compared": {
        "id": "{earlier} → {later}",
        "en": "{earlier} → {later}",
    },
    "history.lead": {
        "id": "{matched} TPS cocok (kelurahan + nomor TPS); {added} TPS baru, {removed} TPS "
        "hilang, {moved} TPS pindah lebih dari {distance}, {changed} TPS berubah kelas "
        "kerawanan.",
        "en": "{matched} TPS matched (kelurahan + TPS number); {added} added, {removed} "
        "removed, {moved} moved more than {distance}, {changed} with a changed risk class.",
    },
    "history.unmatchable": {
        "id": "Tidak dicocokkan (tanpa kelurahan/nomor TPS, atau nomor ganda di kelurahan yang "
        "sama): {earlier} TPS operasi sebelumnya, {later} TPS operasi ini — dihitung hilang/baru.",
        "en": "Not matched (no kelurahan/TPS number, or a number used twice in one kelurahan): "
        "{earlier} TPS of the earlier operation, {later} of this one — counted removed/added.",
    },
    "history.section.tps": {"id": "TPS", "en": "Polling stations"},
    "history.row.tps": {"id": "Jumlah TPS", "en": "TPS in total"},
    "history.row.risk": {"id": "TPS {risk}", "en": "TPS {risk}"},
    "history.row.posts": {"id": "Pos Polri", "en": "Police posts"},
    "history.row.covered": {"id": "TPS terjangkau pos", "en": "TPS within a post's reach"},
    "history.row.covered_share": {
        "id": "TPS terjangkau pos (%)",
        "en": "TPS within a post's reach (%)",
    },
    "history.col.earlier": {"id": "Sebelumnya", "en": "Before"},
    "history.col.later": {"id": "Kini", "en": "Now"},
    "history.col.difference": {
        "id": "Selisih (kini − sebelumnya)",
        "en": "Difference (now − before)",
    },
    "history.col.risk_earlier": {"id": "Kerawanan sebelumnya", "en": "Risk before"},
    "history.col.risk_later": {"id": "Kerawanan kini", "en": "Risk now"},
    "history.col.moved": {"id": "Bergeser", "en": "Moved by"},
    "history.added": {"id": "TPS baru ({n})", "en": "TPS added ({n})"},
    "history.removed": {"id": "TPS hilang ({n})", "en": "TPS removed ({n})"},
    "history.moved": {
        "id": "TPS pindah lebih dari {distance} ({n})",
        "en": "TPS moved more than {distance} ({n})",
    },
    "history.risk_changed": {
        "id": "Perubahan kelas kerawanan ({n})",
        "en": "Risk class changes ({n})",
    },
    "history.risk_change_counts": {
        "id": "Perubahan per kelas: {changes}.",
        "en": "Changes by class: {changes}.",
    },
    "history.more": {
        "id": "{shown} dari {total} ditampilkan … dan {more} lainnya (daftar lengkap: "
        "posko history --json).",
        "en": "{shown} of {total} shown … and {more} more (full list: posko history --json).",
    },
    "history.mode": {"id": "Bandingkan dengan", "en": "Compare with"},
    "history.mode_plans": {"id": "rencana lain", "en": "another plan"},
    "history.mode_operation": {"id": "operasi sebelumnya", "en": "an earlier operation"},
    "history.pick_earlier": {"id": "Operasi sebelumnya", "en": "Earlier operation"},
    "history.moved_m": {
        "id": "TPS dianggap pindah bila bergeser lebih dari (meter)",
        "en": "A TPS counts as moved beyond (metres)",
    },
    "history.need_other": {
        "id": "Belum ada operasi lain yang dapat dibandingkan.",
        "en": "There is no other operation to compare with yet.",
    },
    "history.download_csv": {
        "id": "Unduh tabel perbandingan operasi (CSV)",
        "en": "Download the operations table (CSV)",
    },
    "history.same_operation": {
        "id": "Operasi sebelumnya sama dengan operasi ini: pilih operasi lain.",
        "en": "The earlier operation is this one: pick another operation.",
    },
    "history.audit_what": {
        "id": "{what}, dengan pelajaran dari operasi {earlier}",
        "en": "{what}, with lessons from operation {earlier}",
    },
    "history.compare_options": {
        "id": "--compare-with menambah bagian pada briefing satu rencana, bukan --compare.",
        "en": "--compare-with adds a section to the briefing of one plan, not with --compare.",
    },
    # --- the partner briefing for KPU, Bawaslu and Forkopimda (layers/partner.py)
    "partner.subtitle": {
        "id": "Briefing untuk mitra: KPU, Bawaslu, Forkopimda",
        "en": "Briefing for partners: KPU, Bawaslu, Forkopimda",
    },
    "partner.scope": {
        "id": "Berisi TPS dengan kelas kerawanannya, wilayah, tahapan dan rantai logistik. "
        "Posisi pos Polri, jumlah personel, jangkauan pos dan rencana pengerahan tidak dimuat.",
        "en": "Holds the TPS with their risk classes, the areas, the phases and the logistics "
        "chain. Police post positions, personnel figures, post reach and deployments are left out.",
    },
    "partner.headline": {"id": "{total} TPS: {classes}.", "en": "{total} TPS: {classes}."},
    "partner.tps_by_risk": {"id": "TPS per kelas kerawanan", "en": "TPS by risk class"},
    "partner.by_area": {"id": "TPS per {level}", "en": "TPS by {level}"},
    # a cell of the partner map drawn by zoom (layers.grid, risk_counts): one line a class
    "partner.cell_risk": {"id": "{risk}: {n}", "en": "{risk}: {n}"},
    "partner.tps_list": {
        "id": "TPS rawan, sangat rawan dan khusus",
        "en": "TPS at risk, high risk and special",
    },
    "partner.tps_more": {
        "id": "{shown} dari {total} ditampilkan … dan {more} lainnya (urut kelas, kelurahan, "
        "nomor).",
        "en": "{shown} of {total} shown … and {more} more (by class, kelurahan, number).",
    },
    "partner.chain_more": {
        "id": "{shown} dari {total} ruas ditampilkan … dan {more} ruas lainnya (ke TPS); "
        "daftar lengkap dapat diminta dari Polres.",
        "en": "{shown} of {total} legs shown … and {more} more (to the polling stations); the "
        "full list is available from the Polres.",
    },
    "partner.phases": {"id": "Tahapan operasi", "en": "Operation phases"},
    "partner.col.phase": {"id": "Tahapan", "en": "Phase"},
    "partner.col.start": {"id": "Mulai", "en": "Start"},
    "partner.col.end": {"id": "Selesai", "en": "End"},
    "partner.chain": {"id": "Rantai logistik pemilu", "en": "Election logistics chain"},
    "partner.col.from": {"id": "Dari", "en": "From"},
    "partner.col.to": {"id": "Ke", "en": "To"},
    "partner.col.phase_of_leg": {"id": "Tahapan", "en": "Phase"},
    "partner.download": {
        "id": "Unduh briefing mitra (HTML, tanpa posisi pos dan personel)",
        "en": "Download the partner briefing (HTML, without posts or personnel)",
    },
    "partner.audit_what": {"id": "briefing mitra", "en": "partner briefing"},
    "partner.options": {
        "id": "--for-partners tidak dapat dipakai bersama --compare, --compare-with atau "
        "--with-csv.",
        "en": "--for-partners cannot be used with --compare, --compare-with or --with-csv.",
    },
    "brief.online_tiles": {
        "id": "Peta dasar daring ({basemap}): membuka berkas ini saat terhubung ke internet akan "
        "menghubungi server peta tersebut dan memperlihatkan wilayah operasi kepadanya.",
        "en": "Online basemap ({basemap}): opening this file while connected to the internet "
        "contacts that tile server and reveals the operation's area to it.",
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


@dataclass(frozen=True)
class Text:
    """A catalog entry with its values, rendered later in whatever language is wanted."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The text in `lang`: nested Texts, errors and problems (alone or in a tuple)
        rendered, `*_m` numbers as distances."""
        values = {}
        for name, value in self.params.items():
            if _renders(value):
                value = _render(value, lang)
            elif isinstance(value, tuple) and value and all(_renders(v) for v in value):
                value = "; ".join(_render(v, lang) for v in value)
            elif name.endswith("_m") and isinstance(value, int | float):
                value = format_distance(float(value), lang)
            values[name] = value
        return t(self.key, lang, **values)


class Number(Text):
    """A number shown in whatever language is wanted (``Number(-5.0)`` reads "-5"; the
    value is ``params["value"]``): for figures inside messages built before the language
    is known."""

    def __init__(self, value: float) -> None:
        super().__init__("", {"value": float(value)})

    def render(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The number in `lang`'s style, with as many decimals as it needs (at most 3)."""
        value = self.params["value"]
        return format_number(value, lang, decimals=None) if math.isfinite(value) else str(value)


@dataclass(frozen=True)
class Labels(Text):
    """Labels of vocabulary values, joined by commas, rendered in whatever language is wanted
    (`key` names the vocabulary, `params["values"]` the values)."""

    def render(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The labels in `lang` ("–" when there are none)."""
        return ", ".join(label(self.key, v, lang) for v in self.params.get("values", ())) or "–"


def _renders(value: object) -> bool:
    """True for what renders in a language: a Text, or an error or problem with a key."""
    return isinstance(value, Text) or (
        isinstance(getattr(value, "key", None), str) and hasattr(value, "params")
    )


def _render(value: Any, lang: str) -> str:
    if isinstance(value, Text):
        return value.render(lang)
    return localized(value, lang)


def localized(error: Any, lang: str = DEFAULT_LANGUAGE) -> str:
    """An error's (or a problem's) message in `lang` when it carries a catalog key, else its
    own text."""
    key = getattr(error, "key", "")
    if key and key in _CATALOG:
        return Text(key, getattr(error, "params", {})).render(lang)
    return getattr(error, "message", None) or str(error)


def label(vocabulary: str, value: object, lang: str = DEFAULT_LANGUAGE) -> str:
    """Label of a vocabulary value (`label("risk", "rawan")`), or of a catalog entry
    `<vocabulary>.<value>` (`label("quality", "synthetic")`); the raw value if unknown.

    Site kinds, risk classes and post types are labelled by their registries in
    :mod:`geo.model`.
    """
    # geo.model builds its messages from this catalog, so it is imported here, not on top
    from geo.model import VOCABULARIES

    table = VOCABULARIES.get(vocabulary)
    if table is not None:
        spec = table.get(value) if isinstance(value, str) else None
        return spec.labels.get(lang, spec.labels[DEFAULT_LANGUAGE]) if spec else str(value)
    key = f"{vocabulary}.{value}"
    return t(key, lang) if key in _CATALOG else str(value)


def format_number(
    value: float, lang: str = DEFAULT_LANGUAGE, *, decimals: int | None = 0, sign: bool = False
) -> str:
    """A number in the language's style: 1.234,5 (Indonesian) / 1,234.5 (English).

    The one place figures get their separators. `decimals` None shows as many as the value
    needs (at most 3: a weight of 1.5 reads "1,5", of 2 reads "2"); `sign` adds "+" to a
    positive change.
    """
    if decimals is None:
        decimals = next(d for d in range(4) if round(value, d) == round(value, 3))
    shown = round(value, decimals) + 0.0  # + 0.0: no "-0" for a value that rounds to zero
    text = f"{shown:{'+' if sign and shown else ''},.{decimals}f}"
    if lang == "id":
        text = text.translate(str.maketrans({",": ".", ".": ","}))
    return text


def format_int(value: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """A whole number with the language's thousands separator (164.330 / 164,330)."""
    return format_number(int(value), lang)


def format_share(share: float, lang: str = DEFAULT_LANGUAGE) -> str:
    """A share 0..1 as a percentage with one decimal (87,5 % / 87.5%); "–" for NaN (a share
    of nothing, e.g. coverage of an operation without TPS)."""
    if share != share:
        return "–"
    text = format_number(100 * share, lang, decimals=1)
    return f"{text}\u00a0%" if lang == "id" else f"{text}%"


def format_share_change(change: float, lang: str = DEFAULT_LANGUAGE) -> str:
    """A change of a share 0..1 in percentage points, signed (+7,7 poin persen / -0.4 pp);
    "–" for NaN."""
    if change != change:
        return "–"
    number = format_number(100 * change, lang, decimals=1, sign=True)
    # "pp" means nothing to an Indonesian reader: the unit is written out
    return f"{number}\u00a0poin persen" if lang == "id" else f"{number} pp"


def format_coordinates(lat: float, lon: float, lang: str = DEFAULT_LANGUAGE) -> str:
    """A position as latitude and longitude with 6 decimals: "-2,146254; 106,163729"
    (Indonesian: the comma is the decimal mark, so a semicolon separates) or
    "-2.146254, 106.163729" (English)."""
    parts = (format_number(v, lang, decimals=6) for v in (lat, lon))
    return ("; " if lang == "id" else ", ").join(parts)


def format_date(day: date) -> str:
    """A calendar day as the app writes every date a person reads: "26-11-2024" (day, month,
    year, in both languages; a stored time reads the same way, see
    :func:`geo.audit.readable_time`). Files and JSON keep ISO 8601."""
    return day.strftime("%d-%m-%Y")


def format_distance(metres: float, lang: str = DEFAULT_LANGUAGE) -> str:
    """A distance as "820 m" or "1,2 km" (Indonesian) / "1.2 km" (English)."""
    if metres != metres:  # NaN: no distance
        return "–"
    if metres < 999.5:  # what rounds to 1000 m reads 1,0 km
        return f"{format_number(metres, lang)} m"
    return f"{format_number(metres / 1000, lang, decimals=1)} km"
