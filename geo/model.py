"""The data model: the registries of site kinds, risk classes and post types (one row each:
labels, recognition words, requirements, defaults), column names and operation settings."""

from __future__ import annotations

import math
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta, timezone
from enum import StrEnum
from pathlib import Path
from typing import Any

from geo.errors import Problem, SettingsError
from geo.phases import Phase, parse_phases, phase_problems
from geo.text import LANGUAGES, Labels, Text

__all__ = [
    "AUDIT_ACTIONS",
    "CANONICAL_COLUMNS",
    "COLUMN_VOCABULARY",
    "DEFAULT_RADIUS_M",
    "DEFAULT_RING_ZONES_M",
    "DEFAULT_RISK_WEIGHTS",
    "INDICATORS",
    "INDICATOR_VARIABLES",
    "KINDS",
    "PARTNER_CLASSIFICATION",
    "PLAN_STATUSES",
    "POST_KINDS",
    "POST_TYPES",
    "RISKS",
    "ROLES",
    "ROLE_SPECS",
    "TARGET_KINDS",
    "TIME_ZONES",
    "UNITS",
    "VOCABULARIES",
    "ZONE_KINDS",
    "AuditAction",
    "Col",
    "Derived",
    "IndicatorSpec",
    "Kind",
    "KindSpec",
    "LocationQuality",
    "PlanStatus",
    "PostType",
    "PostTypeSpec",
    "Risk",
    "RiskRule",
    "RiskSpec",
    "Role",
    "Settings",
    "Spec",
    "StaffingGroup",
    "StaffingPreset",
    "TimeZone",
    "TimeZoneSpec",
    "Unit",
    "ZoneKind",
    "load_settings",
    "normalise_label",
    "parse_settings",
    "recognised_words",
    "zone_for_longitude",
]


class Kind(StrEnum):
    """What a site is."""

    POLLING_STATION = "polling_station"
    GOVERNMENT = "government"
    DEMONSTRATION_POINT = "demonstration_point"
    POLICE_POST = "police_post"
    LOGISTICS = "logistics"


class Risk(StrEnum):
    """Polri TPS risk classes (2023–2025), lowest to highest, then the special class."""

    KURANG_RAWAN = "kurang_rawan"
    RAWAN = "rawan"
    SANGAT_RAWAN = "sangat_rawan"
    KHUSUS = "khusus"


class PostType(StrEnum):
    """Kinds of police post; each has its own coverage radius."""

    MAKO = "mako"
    POLSEK = "polsek"
    POS_PAM = "pos_pam"
    POS_TERPADU = "pos_terpadu"
    PATROL = "patrol"
    # a reserve unit (Dalmas, Brimob, the Polda's backup) at its base: its radius is the
    # reach it responds within, and its personnel are counted apart from static guards
    RESERVE = "reserve"


class Unit(StrEnum):
    """Kind of reserve unit a reserve post holds (`unit` column)."""

    DALMAS = "dalmas"
    BRIMOB = "brimob"
    BACKUP = "backup"
    PERINTIS = "perintis"


class PlanStatus(StrEnum):
    """Where a plan stands on its way to the commander's decision."""

    DRAFT = "draft"
    PROPOSED = "proposed"
    APPROVED = "approved"


class Role(StrEnum):
    """What a signed-in user may do: see, also plan, also administer (ordered by power)."""

    VIEWER = "viewer"
    PLANNER = "planner"
    ADMIN = "admin"


class ZoneKind(StrEnum):
    """Kinds of zone a planner draws on the map."""

    CLOSURE = "closure"
    ASSEMBLY = "assembly"
    STERILE = "sterile"


class LocationQuality(StrEnum):
    """How far a site's position can be trusted."""

    SURVEYED = "surveyed"
    GEOCODED = "geocoded"
    APPROXIMATE = "approximate"
    SYNTHETIC = "synthetic"


class AuditAction(StrEnum):
    """What an audit record says was done (see `geo.audit`)."""

    IMPORT = "import"
    AREAS_IMPORT = "areas_import"
    ROADS = "roads"
    ROLLBACK = "rollback"
    PLAN_SAVE = "plan_save"
    PLAN_NEW = "plan_new"
    PLAN_COPY = "plan_copy"
    PLAN_RENAME = "plan_rename"
    PLAN_STATUS = "plan_status"
    PLAN_CURRENT = "plan_current"
    PLAN_ROLLBACK = "plan_rollback"
    SUGGEST_DRAFT = "suggest_draft"
    EXPORT_BRIEFING = "export_briefing"
    EXPORT_CSV = "export_csv"
    USER_ADD = "user_add"
    USER_PASSWD = "user_passwd"
    USER_DISABLE = "user_disable"
    USER_ENABLE = "user_enable"
    GRANT = "grant"
    REVOKE = "revoke"
    STORE_MIGRATE = "store_migrate"


class TimeZone(StrEnum):
    """Indonesia's three time zones (none has daylight saving)."""

    WIB = "WIB"
    WITA = "WITA"
    WIT = "WIT"


class Col:
    """Canonical column names of the `sites` GeoDataFrame."""

    SITE_ID = "site_id"
    KIND = "kind"
    NAME = "name"
    RISK = "risk"
    POST_TYPE = "post_type"
    PERSONNEL = "personnel"
    RADIUS_M = "radius_m"
    AREA_CODE = "area_code"
    SOURCE = "source"
    LOCATION_QUALITY = "location_quality"
    TPS_NO = "tps_no"
    KELURAHAN = "kelurahan"
    KECAMATAN = "kecamatan"
    VOTERS = "voters"
    ROLE = "role"
    INDICATORS = "indicators"  # fired TPS-rawan indicator ids, joined by ";"
    PHASES = "phases"  # keys of the phases a site exists in, joined by ";"; empty: every phase
    UNIT = "unit"  # reserve unit of a reserve post (`Unit`)
    # import only, never stored: the fields an import filled in itself (a default risk class,
    # a name built from the TPS number), which must not overwrite what a matched site holds
    DEFAULTED = "defaulted"


CANONICAL_COLUMNS: tuple[str, ...] = (
    Col.SITE_ID,
    Col.KIND,
    Col.NAME,
    Col.RISK,
    Col.POST_TYPE,
    Col.PERSONNEL,
    Col.RADIUS_M,
    Col.AREA_CODE,
    Col.SOURCE,
    Col.LOCATION_QUALITY,
    Col.TPS_NO,
    Col.KELURAHAN,
    Col.KECAMATAN,
    Col.VOTERS,
    Col.ROLE,
    Col.INDICATORS,
    Col.PHASES,
    Col.UNIT,
)


class Derived:
    """Names of the columns the analysis adds to sites, and of the covering-pairs table."""

    # targets (polling stations, demonstration points)
    NEAREST_POST_ID = "nearest_post_id"
    NEAREST_POST_M = "nearest_post_m"
    COVERED = "covered"
    N_COVERING = "n_covering"
    AREA = "area"
    THREATENED_ID = "threatened_id"
    THREATENED_M = "threatened_m"
    # posts
    RADIUS_USED_M = "radius_used_m"
    N_COVERED = "n_covered"
    N_CATCHMENT = "n_catchment"
    # covering pairs
    TARGET_ID = "target_id"
    POST_ID = "post_id"
    DISTANCE_M = "distance_m"


# --- vocabularies: what each site kind, risk class and post type is (one row each).
# Recognition words are written normalised: lower-case ASCII words separated by spaces.


@dataclass(frozen=True)
class Spec:
    """What every vocabulary row holds.

    Attributes
    ----------
    labels
        Name shown to planners, per language ("id", "en").
    words
        Labels that mean this value in an uploaded list (besides its labels and value).
    """

    labels: Mapping[str, str]
    words: tuple[str, ...]


@dataclass(frozen=True)
class RiskSpec(Spec):
    """One risk class; `weight` is its default weight in the weighted coverage score."""

    weight: float


@dataclass(frozen=True)
class PostTypeSpec(Spec):
    """One post type; `radius_m` is its default coverage radius in metres."""

    radius_m: float


@dataclass(frozen=True)
class KindSpec(Spec):
    """One site kind.

    Attributes
    ----------
    required
        Columns a site of this kind must hold a vocabulary value in (`risk`, `post_type`),
        with the value an import uses when the list gives none — for the risk class only:
        a post type the list and the name leave open is asked for, never defaulted.
    target
        True when posts must reach sites of this kind (they count in the coverage).
    post
        True when sites of this kind are posts whose radius covers targets.
    """

    required: Mapping[str, StrEnum]
    target: bool
    post: bool


RISKS: Mapping[Risk, RiskSpec] = {
    Risk.KURANG_RAWAN: RiskSpec(
        labels={"id": "Kurang rawan", "en": "Low risk"},
        words=("aman", "tidak rawan", "low", "normal"),
        weight=1.0,
    ),
    Risk.RAWAN: RiskSpec(
        labels={"id": "Rawan", "en": "At risk"},
        words=("rawan 2", "rawan ii", "medium"),
        weight=2.0,
    ),
    Risk.SANGAT_RAWAN: RiskSpec(
        labels={"id": "Sangat rawan", "en": "High risk"},
        words=("rawan 1", "rawan i", "high"),
        weight=3.0,
    ),
    Risk.KHUSUS: RiskSpec(
        labels={"id": "Khusus", "en": "Special"},
        words=("tps khusus",),
        weight=3.0,
    ),
}

POST_TYPES: Mapping[PostType, PostTypeSpec] = {
    PostType.MAKO: PostTypeSpec(
        labels={"id": "Mako Polres/Polresta", "en": "Police HQ (Mako)"},
        words=("polres", "polresta", "polrestabes", "mapolres", "hq", "headquarters"),
        radius_m=2500.0,
    ),
    PostType.POLSEK: PostTypeSpec(
        labels={"id": "Polsek", "en": "Police sector (Polsek)"},
        words=("polsekta", "mapolsek"),
        radius_m=1500.0,
    ),
    PostType.POS_PAM: PostTypeSpec(
        labels={"id": "Pos pengamanan", "en": "Security post"},
        # a bare "pos" (Pos Lantas, Pos Pelayanan, …) names no post type: it is asked for
        words=("pospam",),
        radius_m=1000.0,
    ),
    PostType.POS_TERPADU: PostTypeSpec(
        labels={"id": "Pos terpadu", "en": "Joint post"},
        words=("pos pengamanan terpadu", "pos gabungan"),
        radius_m=1000.0,
    ),
    PostType.PATROL: PostTypeSpec(
        labels={"id": "Basis patroli", "en": "Patrol base"},
        words=("patroli",),
        radius_m=2000.0,
    ),
    # no doctrine reach was found: 5 km is what a truck-borne unit covers in about 15 minutes
    # through town traffic (editable per operation, and per post)
    PostType.RESERVE: PostTypeSpec(
        labels={"id": "Pasukan cadangan", "en": "Reserve unit"},
        words=("cadangan", "pasukan cadangan", "reserve", "reserves", "pleton cadangan"),
        radius_m=5000.0,
    ),
}

UNITS: Mapping[Unit, Spec] = {
    Unit.DALMAS: Spec(
        labels={"id": "Dalmas (pengendalian massa)", "en": "Dalmas (crowd control)"},
        words=("dalmas", "sabhara", "pengendalian massa", "crowd control"),
    ),
    Unit.BRIMOB: Spec(
        labels={"id": "Brimob", "en": "Brimob (mobile brigade)"},
        words=("brimob", "satbrimob", "mobile brigade"),
    ),
    Unit.BACKUP: Spec(
        labels={"id": "BKO Polda", "en": "Polda backup (BKO)"},
        words=("bko", "bko polda", "backup", "back up", "polda"),
    ),
    Unit.PERINTIS: Spec(
        labels={"id": "Tim Perintis", "en": "Perintis rapid-response team"},
        words=("perintis", "tim perintis", "presisi"),
    ),
}


def recognised_words(value: StrEnum, spec: Spec) -> tuple[str, ...]:
    """Every normalised label that means `value` in a list: its words, labels and value."""
    from_labels = (normalise_label(text) for text in (value.value, *spec.labels.values()))
    return tuple(dict.fromkeys((*spec.words, *from_labels)))


def normalise_label(text: str) -> str:
    """A label reduced for matching: lower-case ASCII words separated by single spaces."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[a-z0-9]+", plain.lower()))


# A post-type label ("polsek", "pos pam") in a kind column means a police post.
_POST_WORDS = tuple(w for p, s in POST_TYPES.items() for w in recognised_words(p, s))

KINDS: Mapping[Kind, KindSpec] = {
    Kind.POLLING_STATION: KindSpec(
        labels={"id": "TPS", "en": "Polling stations"},
        words=("polling station", "tempat pemungutan suara"),
        required={Col.RISK: Risk.KURANG_RAWAN},
        target=True,
        post=False,
    ),
    Kind.GOVERNMENT: KindSpec(
        labels={"id": "Kantor pemerintahan", "en": "Government buildings"},
        words=("government building", "kantor", "pemerintahan"),
        required={},
        target=False,
        post=False,
    ),
    Kind.DEMONSTRATION_POINT: KindSpec(
        labels={"id": "Titik rawan unjuk rasa", "en": "Demonstration points"},
        words=("demonstration point", "demo", "unjuk rasa", "titik unjuk rasa"),
        required={},
        target=True,
        post=False,
    ),
    Kind.POLICE_POST: KindSpec(
        labels={"id": "Pos polisi", "en": "Police posts"},
        words=("police", "police post", "police station", "pos", *_POST_WORDS),
        required={Col.POST_TYPE: PostType.POS_PAM},
        target=False,
        post=True,
    ),
    Kind.LOGISTICS: KindSpec(
        labels={"id": "Logistik pemilu", "en": "Election logistics"},
        words=("logistics", "logistik", "gudang", "gudang logistik", "warehouse", "ppk"),
        required={},
        target=False,
        post=False,
    ),
}

PLAN_STATUSES: Mapping[PlanStatus, Spec] = {
    PlanStatus.DRAFT: Spec(labels={"id": "Draf", "en": "Draft"}, words=("draf", "konsep")),
    PlanStatus.PROPOSED: Spec(
        labels={"id": "Diajukan", "en": "Proposed"}, words=("diajukan", "usulan")
    ),
    PlanStatus.APPROVED: Spec(
        labels={"id": "Disetujui", "en": "Approved"}, words=("disetujui", "sah")
    ),
}

# ordered by power: a role may do everything the roles before it may
ROLES: tuple[Role, ...] = (Role.VIEWER, Role.PLANNER, Role.ADMIN)

ROLE_SPECS: Mapping[Role, Spec] = {
    Role.VIEWER: Spec(labels={"id": "Peninjau", "en": "Viewer"}, words=("peninjau", "pembaca")),
    Role.PLANNER: Spec(labels={"id": "Perencana", "en": "Planner"}, words=("perencana", "renops")),
    Role.ADMIN: Spec(labels={"id": "Admin", "en": "Admin"}, words=("administrator", "pengelola")),
}

ZONE_KINDS: Mapping[ZoneKind, Spec] = {
    ZoneKind.CLOSURE: Spec(
        labels={"id": "Penutupan / larangan masuk", "en": "Closure / no-go area"},
        words=("penutupan", "larangan masuk", "no go", "closed"),
    ),
    ZoneKind.ASSEMBLY: Spec(
        labels={"id": "Area kumpul massa / kampanye", "en": "Rally / assembly area"},
        words=("kumpul massa", "kampanye", "rally", "assembly area"),
    ),
    ZoneKind.STERILE: Spec(
        labels={"id": "Ring steril rekapitulasi", "en": "Sterile ring (recap site)"},
        words=("ring steril", "steril", "sterile ring"),
    ),
}

AUDIT_ACTIONS: Mapping[AuditAction, Spec] = {
    AuditAction.IMPORT: Spec(
        labels={"id": "Impor daftar lokasi", "en": "Site list import"}, words=()
    ),
    AuditAction.AREAS_IMPORT: Spec(
        labels={"id": "Impor batas wilayah", "en": "Boundary import"}, words=()
    ),
    AuditAction.ROADS: Spec(labels={"id": "Berkas jalan", "en": "Road file"}, words=()),
    AuditAction.ROLLBACK: Spec(
        labels={"id": "Pemulihan versi lokasi", "en": "Site list rollback"}, words=()
    ),
    AuditAction.PLAN_SAVE: Spec(labels={"id": "Simpan rencana", "en": "Plan saved"}, words=()),
    AuditAction.PLAN_NEW: Spec(labels={"id": "Rencana baru", "en": "New plan"}, words=()),
    AuditAction.PLAN_COPY: Spec(labels={"id": "Salin rencana", "en": "Plan copied"}, words=()),
    AuditAction.PLAN_RENAME: Spec(
        labels={"id": "Ganti nama rencana", "en": "Plan renamed"}, words=()
    ),
    AuditAction.PLAN_STATUS: Spec(
        labels={"id": "Status rencana", "en": "Plan status set"}, words=()
    ),
    AuditAction.PLAN_CURRENT: Spec(
        labels={"id": "Rencana aktif diganti", "en": "Current plan set"}, words=()
    ),
    AuditAction.PLAN_ROLLBACK: Spec(
        labels={"id": "Pemulihan versi rencana", "en": "Plan rollback"}, words=()
    ),
    AuditAction.SUGGEST_DRAFT: Spec(
        labels={"id": "Rencana draf dari saran pos", "en": "Draft plan from suggestion"},
        words=(),
    ),
    AuditAction.EXPORT_BRIEFING: Spec(
        labels={"id": "Ekspor briefing", "en": "Briefing exported"}, words=()
    ),
    AuditAction.EXPORT_CSV: Spec(labels={"id": "Unduh CSV", "en": "CSV downloaded"}, words=()),
    AuditAction.USER_ADD: Spec(labels={"id": "Pengguna baru", "en": "User added"}, words=()),
    AuditAction.USER_PASSWD: Spec(
        labels={"id": "Kata sandi diganti", "en": "Password changed"}, words=()
    ),
    AuditAction.USER_DISABLE: Spec(
        labels={"id": "Pengguna dinonaktifkan", "en": "User disabled"}, words=()
    ),
    AuditAction.USER_ENABLE: Spec(
        labels={"id": "Pengguna diaktifkan", "en": "User enabled"}, words=()
    ),
    AuditAction.GRANT: Spec(labels={"id": "Akses diberikan", "en": "Access granted"}, words=()),
    AuditAction.REVOKE: Spec(labels={"id": "Akses dicabut", "en": "Access revoked"}, words=()),
    AuditAction.STORE_MIGRATE: Spec(
        labels={"id": "Pemindahan penyimpanan", "en": "Store migrated"}, words=()
    ),
}


@dataclass(frozen=True)
class TimeZoneSpec(Spec):
    """One time zone: `utc_hours` ahead of UTC all year; operations whose areas' centre lies
    west of `west_of_lon` (degrees east) default to it, the first that fits."""

    utc_hours: int = 7
    west_of_lon: float = 180.0

    @property
    def tzinfo(self) -> timezone:
        """The fixed-offset zone, named by its label (WIB, WITA, WIT)."""
        return timezone(timedelta(hours=self.utc_hours), self.labels["id"])


# Longitude limits approximate the legal borders (Bali and South Kalimantan lie just east of
# 114.5° and keep WITA; Maluku and Papua lie east of 126°); `[operation] time_zone` corrects
# an operation the rule gets wrong (Kepulauan Sula, Talaud).
TIME_ZONES: Mapping[TimeZone, TimeZoneSpec] = {
    TimeZone.WIB: TimeZoneSpec(
        labels={"id": "WIB", "en": "WIB"}, words=("wib",), utc_hours=7, west_of_lon=114.5
    ),
    TimeZone.WITA: TimeZoneSpec(
        labels={"id": "WITA", "en": "WITA"}, words=("wita",), utc_hours=8, west_of_lon=126.0
    ),
    TimeZone.WIT: TimeZoneSpec(
        labels={"id": "WIT", "en": "WIT"}, words=("wit",), utc_hours=9, west_of_lon=180.0
    ),
}


def zone_for_longitude(lon: float) -> TimeZone:
    """The Indonesian time zone of a longitude (degrees east; west of Indonesia: WIB)."""
    return next(z for z, spec in TIME_ZONES.items() if lon < spec.west_of_lon or z is TimeZone.WIT)


# --- TPS-rawan indicators: the variables and indicators of Bawaslu's mapping of polling
# stations at risk for the 2024 Pilkada (8 variables, 24 indicators), in our own short words.
# A list that carries them has one yes/no column per indicator; the fired ones give a TPS its
# risk class through the operation's `[risk_rule]` (see `RiskRule`).

INDICATOR_VARIABLES: Mapping[str, Mapping[str, str]] = {
    "hak_pilih": {"id": "Penggunaan hak pilih", "en": "Use of the right to vote"},
    "keamanan": {"id": "Keamanan", "en": "Security"},
    "politik_uang": {"id": "Politik uang", "en": "Money politics"},
    "sara": {"id": "Politisasi SARA", "en": "Identity politics (SARA)"},
    "netralitas": {"id": "Netralitas", "en": "Neutrality"},
    "logistik": {"id": "Logistik", "en": "Logistics"},
    "lokasi": {"id": "Lokasi TPS", "en": "Location of the TPS"},
    "listrik_internet": {"id": "Listrik dan internet", "en": "Power and internet"},
}


@dataclass(frozen=True)
class IndicatorSpec(Spec):
    """One TPS-rawan indicator; `variable` is its group in `INDICATOR_VARIABLES`.

    `words` are column names (normalised) that hold this indicator in an uploaded list.
    """

    variable: str


def _indicator(variable: str, id_label: str, en_label: str, *words: str) -> IndicatorSpec:
    return IndicatorSpec(labels={"id": id_label, "en": en_label}, words=words, variable=variable)


INDICATORS: Mapping[str, IndicatorSpec] = {
    "dpt_tms": _indicator(
        "hak_pilih",
        "Pemilih DPT tidak memenuhi syarat",
        "Ineligible voters on the roll",
        "dpt tms",
        "pemilih tms",
        "tidak memenuhi syarat",
    ),
    "dptb": _indicator(
        "hak_pilih", "Pemilih pindahan (DPTb)", "Transferred voters (DPTb)", "dptb", "pindahan"
    ),
    "tidak_terdaftar": _indicator(
        "hak_pilih",
        "Pemilih potensial tidak terdaftar",
        "Eligible voters not registered",
        "tidak terdaftar",
        "pemilih potensial",
    ),
    "penyelenggara_luar_domisili": _indicator(
        "hak_pilih",
        "Petugas KPPS di luar domisili",
        "Polling staff from outside the area",
        "luar domisili",
        "kpps luar domisili",
    ),
    "pemilih_disabilitas": _indicator(
        "hak_pilih",
        "Pemilih disabilitas",
        "Voters with disabilities",
        "disabilitas",
        "pemilih disabilitas",
    ),
    "riwayat_psu": _indicator(
        "hak_pilih",
        "Riwayat pemungutan suara ulang",
        "History of repeated voting",
        "psu",
        "riwayat psu",
        "pemungutan suara ulang",
    ),
    "kendala_hak_pilih": _indicator(
        "hak_pilih",
        "Riwayat pemilih gagal memilih",
        "History of voters unable to vote",
        "gagal memilih",
        "kendala hak pilih",
    ),
    "kekerasan": _indicator(
        "keamanan",
        "Riwayat kekerasan",
        "History of violence",
        "kekerasan",
        "riwayat kekerasan",
        "violence",
    ),
    "intimidasi": _indicator(
        "keamanan",
        "Riwayat intimidasi penyelenggara",
        "History of intimidating polling staff",
        "intimidasi",
        "riwayat intimidasi",
        "intimidation",
    ),
    "penolakan_pemungutan": _indicator(
        "keamanan",
        "Riwayat penolakan pemungutan suara",
        "History of the vote being refused",
        "penolakan",
        "penolakan pemungutan suara",
    ),
    "politik_uang": _indicator(
        "politik_uang",
        "Riwayat politik uang",
        "History of money politics",
        "politik uang",
        "riwayat politik uang",
        "money politics",
        "vote buying",
    ),
    "politisasi_sara": _indicator(
        "sara",
        "Riwayat politisasi SARA",
        "History of identity politics",
        "sara",
        "politisasi sara",
        "ujaran kebencian",
    ),
    "penyelenggara_tidak_netral": _indicator(
        "netralitas",
        "Penyelenggara tidak netral",
        "Polling staff not neutral",
        "penyelenggara tidak netral",
        "kpps tidak netral",
    ),
    "aparat_tidak_netral": _indicator(
        "netralitas",
        "ASN/TNI/Polri/perangkat desa tidak netral",
        "Officials not neutral",
        "netralitas",
        "asn tidak netral",
        "aparat tidak netral",
        "netralitas asn",
    ),
    "logistik_rusak": _indicator(
        "logistik",
        "Riwayat logistik rusak atau kurang",
        "History of damaged or missing material",
        "logistik",
        "logistik rusak",
        "kerusakan logistik",
        "kekurangan logistik",
    ),
    "logistik_terlambat": _indicator(
        "logistik",
        "Riwayat logistik terlambat",
        "History of late material",
        "logistik terlambat",
        "keterlambatan logistik",
    ),
    "sulit_dijangkau": _indicator(
        "lokasi",
        "Sulit dijangkau",
        "Hard to reach",
        "sulit dijangkau",
        "akses sulit",
        "hard to reach",
    ),
    "rawan_bencana": _indicator(
        "lokasi",
        "Rawan bencana",
        "Disaster-prone",
        "rawan bencana",
        "bencana",
        "disaster",
    ),
    "dekat_posko_kampanye": _indicator(
        "lokasi",
        "Dekat posko atau rumah tim kampanye",
        "Near a campaign office",
        "dekat posko",
        "posko kampanye",
        "dekat posko kampanye",
    ),
    "lokasi_khusus": _indicator(
        "lokasi",
        "Di lokasi khusus (lapas, rumah sakit)",
        "At a special place (prison, hospital)",
        "lokasi khusus",
        "tps lokasi khusus",
    ),
    "dekat_lembaga_pendidikan": _indicator(
        "lokasi",
        "Dekat lembaga pendidikan atau pabrik",
        "Near a school or a factory",
        "lembaga pendidikan",
        "dekat lembaga pendidikan",
    ),
    "wilayah_konflik": _indicator(
        "lokasi",
        "Di wilayah konflik",
        "In a conflict area",
        "wilayah konflik",
        "daerah konflik",
    ),
    "listrik": _indicator(
        "listrik_internet",
        "Kendala listrik",
        "Power problems",
        "listrik",
        "kendala listrik",
        "aliran listrik",
        "power",
    ),
    "internet": _indicator(
        "listrik_internet",
        "Kendala jaringan internet",
        "Internet problems",
        "internet",
        "jaringan internet",
        "kendala internet",
        "sinyal",
    ),
}


@dataclass(frozen=True)
class RiskRule:
    """How the fired TPS-rawan indicators of a TPS give its risk class (`[risk_rule]`).

    A TPS with at least `sangat_rawan_at` fired indicators, or with any indicator of
    `sangat_rawan_any` fired, is sangat rawan; else one with at least `rawan_at` is rawan;
    else kurang rawan. An explicit risk class in the imported list wins over the rule. The
    defaults are editable starting points, not doctrine.

    Attributes
    ----------
    sangat_rawan_at
        Fired indicators that make a TPS sangat rawan (default 3).
    sangat_rawan_any
        Indicator ids (`INDICATORS`) any one of which makes a TPS sangat rawan (default
        history of violence and of intimidation).
    rawan_at
        Fired indicators that make a TPS rawan (default 1); at most `sangat_rawan_at`.
    """

    sangat_rawan_at: int = 3
    sangat_rawan_any: tuple[str, ...] = ("kekerasan", "intimidasi")
    rawan_at: int = 1

    def classify(self, fired: Iterable[str]) -> Risk:
        """The risk class of a TPS whose indicators `fired` (ids)."""
        ids = set(fired)
        if len(ids) >= self.sangat_rawan_at or ids & set(self.sangat_rawan_any):
            return Risk.SANGAT_RAWAN
        return Risk.RAWAN if len(ids) >= self.rawan_at else Risk.KURANG_RAWAN

    def problems(self) -> list[Problem]:
        """What breaks the rule's requirements (empty when valid)."""
        problems = []
        for key in ("sangat_rawan_at", "rawan_at"):
            value = getattr(self, key)
            if not (isinstance(value, int) and not isinstance(value, bool) and value >= 1):
                where = f"risk_rule.{key}"
                problems.append(Problem.from_text(where, "settings.count", key=where, value=value))
        listed = isinstance(self.sangat_rawan_any, tuple)
        unknown = [i for i in self.sangat_rawan_any if i not in INDICATORS] if listed else []
        if unknown or not listed:
            where = "risk_rule.sangat_rawan_any"
            problems.append(
                Problem.from_text(
                    where,
                    "settings.unknown_indicator",
                    key=where,
                    value=unknown or self.sangat_rawan_any,
                    expected=", ".join(INDICATORS),
                )
            )
        if not problems and self.rawan_at > self.sangat_rawan_at:
            problems.append(
                Problem.from_text(
                    "risk_rule.rawan_at",
                    "settings.rule_order",
                    rawan=self.rawan_at,
                    sangat=self.sangat_rawan_at,
                )
            )
        return problems

    def text(self) -> Text:
        """The rule in words, for the import report."""
        return Text(
            "rule.describe",
            {
                "high": self.sangat_rawan_at,
                "any": Labels("indicator", {"values": tuple(self.sangat_rawan_any)}),
                "mid": self.rawan_at,
            },
        )


# vocabulary name (as in `geo.text.label`) -> its table
VOCABULARIES: Mapping[str, Mapping[Any, Spec]] = {
    "kind": KINDS,
    "risk": RISKS,
    "post_type": POST_TYPES,
    "indicator": INDICATORS,
    "plan_status": PLAN_STATUSES,
    "role": ROLE_SPECS,
    "zone_kind": ZONE_KINDS,
    "audit_action": AUDIT_ACTIONS,
    "time_zone": TIME_ZONES,
    "unit": UNITS,
}

# column -> the vocabulary its values come from
COLUMN_VOCABULARY: Mapping[str, type[StrEnum]] = {Col.RISK: Risk, Col.POST_TYPE: PostType}

TARGET_KINDS: tuple[Kind, ...] = tuple(k for k, s in KINDS.items() if s.target)
POST_KINDS: tuple[Kind, ...] = tuple(k for k, s in KINDS.items() if s.post)

DEFAULT_RADIUS_M: Mapping[PostType, float] = {p: s.radius_m for p, s in POST_TYPES.items()}

# Weight of each risk class in the weighted coverage score (editable per operation).
DEFAULT_RISK_WEIGHTS: Mapping[Risk, float] = {r: s.weight for r, s in RISKS.items()}

# Ring zones around a recap site or government building; no doctrine distances were
# found, so these are editable defaults (building, compound, streets, access control).
DEFAULT_RING_ZONES_M: tuple[float, ...] = (30.0, 100.0, 300.0, 800.0)

_MAX_RADIUS_M = 50_000.0


@dataclass(frozen=True)
class StaffingGroup:
    """One guard group: `polri` officers and `linmas` guards for every `tps` stations."""

    polri: int
    tps: int
    linmas: int


@dataclass(frozen=True)
class StaffingPreset:
    """A doctrine preset ("pola pengamanan TPS").

    Attributes
    ----------
    name
        Identifier used in settings and on the command line.
    label
        Human-readable name.
    groups
        Guard group per risk class; a class missing here falls back to `fallback`.
    min_polri
        Minimum officers per group ("body system"), 1 when relaxed.
    escort_polri
        Ballot-box escort officers per TPS by risk class.
    fallback
        Risk class whose group is used for classes the preset does not define.
    """

    name: str
    label: str
    groups: Mapping[Risk, StaffingGroup]
    min_polri: int = 2
    escort_polri: Mapping[Risk, int] = field(
        default_factory=lambda: {
            Risk.KURANG_RAWAN: 2,
            Risk.RAWAN: 4,
            Risk.SANGAT_RAWAN: 6,
            Risk.KHUSUS: 6,
        }
    )
    fallback: Risk = Risk.SANGAT_RAWAN

    def group_for(self, risk: Risk) -> StaffingGroup:
        """Return the guard group that applies to `risk`."""
        return self.groups.get(risk) or self.groups[self.fallback]


PARTNER_CLASSIFICATION = "TERBATAS — untuk mitra (KPU, Bawaslu, Forkopimda)"
"""The partner briefing's classification line when the operation names none."""


@dataclass(frozen=True)
class Settings:
    """Settings of one operation, read from its `operation.toml`.

    Attributes
    ----------
    title
        Operation title shown on the map and the briefing.
    classification
        Classification label printed top and bottom (default "TERBATAS").
    partner_classification
        Classification label of the partner briefing for KPU, Bawaslu and Forkopimda
        (`[operation] partner_classification`, default :data:`PARTNER_CLASSIFICATION`).
    language
        Default interface language, "id" or "en".
    radius_m
        Coverage radius in metres per post type (a post's own `radius_m` overrides it).
    ring_zones_m
        Radii in metres of the ring zones around government buildings, increasing.
    staffing_preset
        Name of the staffing preset used by default.
    custom_presets
        Staffing presets defined in the settings file, by name.
    data_note
        Note on where the data comes from; shown with the map.
    synthetic
        True when site positions are synthetic (sample data); the app says so.
    area_margin_m
        How far outside the operation's areas an imported site may lie before it is flagged.
    max_import_rows
        Largest number of rows one imported file may have.
    max_upload_mb
        Largest file the import page accepts, MB (Streamlit's own limit, 200 MB, still
        applies on top).
    import_time_budget_s
        Longest one import may take to read and check a file, seconds; past it the import
        stops with a message (`[import] time_budget_s`).
    max_replace_share
        Largest share (0..1) of one kind's sites an import may replace or remove before the
        planner must confirm it explicitly (default 0.5).
    risk_weights
        Weight of each risk class in the weighted coverage score.
    threat_distance_m
        A demonstration point threatens the nearest government building within this
        distance, metres.
    risk_rule
        How TPS-rawan indicators in an imported list give a TPS its risk class.
    time_zone
        The operation's time zone ("WIB", "WITA", "WIT"): every saved time is shown in it
        (stored times stay UTC). `[operation] time_zone`; None in a file without it, and
        then the loaded operation takes it from its areas' centre (`zone_for_longitude`).
    phases
        The operation's timeline (`[[phases]]`, see `geo.phases`), in date order; empty when
        the operation has none (everything is then for the whole operation).
    """

    title: str
    classification: str = "TERBATAS"
    partner_classification: str = PARTNER_CLASSIFICATION
    language: str = "id"
    radius_m: Mapping[PostType, float] = field(default_factory=lambda: dict(DEFAULT_RADIUS_M))
    ring_zones_m: tuple[float, ...] = DEFAULT_RING_ZONES_M
    staffing_preset: str = "typical_2024"
    custom_presets: Mapping[str, StaffingPreset] = field(default_factory=dict)
    data_note: str = ""
    synthetic: bool = False
    area_margin_m: float = 5000.0
    max_import_rows: int = 1_000_000
    max_upload_mb: float = 200.0
    import_time_budget_s: float = 60.0
    max_replace_share: float = 0.5
    risk_weights: Mapping[Risk, float] = field(default_factory=lambda: dict(DEFAULT_RISK_WEIGHTS))
    threat_distance_m: float = 1000.0
    risk_rule: RiskRule = field(default_factory=RiskRule)
    time_zone: str | None = None
    phases: tuple[Phase, ...] = ()

    def __post_init__(self) -> None:
        problems = _settings_problems(self)
        if problems:
            raise _invalid(problems)

    def with_weights(self, weights: Mapping[Risk, float]) -> Settings:
        """Return a copy with the given risk weights replacing those of the same classes."""
        merged = {**self.risk_weights, **{Risk(k): float(v) for k, v in weights.items()}}
        return replace(self, risk_weights=merged)

    def with_radii(self, radius_m: Mapping[PostType, float]) -> Settings:
        """Return a copy with the given radii replacing those of the same post types."""
        merged = {**self.radius_m, **{PostType(k): float(v) for k, v in radius_m.items()}}
        return replace(self, radius_m=merged)


def _invalid(problems: list[Problem]) -> SettingsError:
    found = tuple(problems)
    return SettingsError.from_text("settings.invalid", found, problems=found)


def _settings_problems(s: Settings) -> list[Problem]:
    problems: list[Problem] = []
    if not s.title.strip():
        problems.append(Problem.from_text("operation.title", "settings.title_empty"))
    if s.language not in LANGUAGES:
        problems.append(
            Problem.from_text(
                "operation.language",
                "settings.language",
                value=s.language,
                expected=", ".join(LANGUAGES),
            )
        )
    for post_type in PostType:
        if post_type not in s.radius_m:
            where = f"radius_m.{post_type}"
            problems.append(Problem.from_text(where, "settings.radius_missing", key=where))
    for post_type, value in s.radius_m.items():
        if not _is_positive_number(value) or value > _MAX_RADIUS_M:
            where = f"radius_m.{post_type}"
            problems.append(
                Problem.from_text(
                    where,
                    "settings.radius_bad",
                    key=where,
                    value=value,
                    limit=f"{_MAX_RADIUS_M:.0f}",
                )
            )
    problems += _ring_problems(s.ring_zones_m)
    for key, value in (
        ("max_rows", s.max_import_rows),
        ("max_upload_mb", s.max_upload_mb),
        ("time_budget_s", s.import_time_budget_s),
    ):
        if not _is_positive_number(value):
            where = f"import.{key}"
            problems.append(Problem.from_text(where, "settings.positive", key=where, value=value))
    for risk, weight in s.risk_weights.items():
        if not (_is_positive_number(weight) or weight == 0):
            where = f"coverage.risk_weights.{risk}"
            problems.append(Problem.from_text(where, "settings.weight", key=where, value=weight))
    if not _is_positive_number(s.threat_distance_m):
        where = "coverage.threat_distance_m"
        problems.append(
            Problem.from_text(
                where, "settings.metres_positive", key=where, value=s.threat_distance_m
            )
        )
    share = s.max_replace_share
    if not (_is_positive_number(share) or share == 0) or share > 1:
        where = "import.max_replace_share"
        problems.append(Problem.from_text(where, "settings.share", key=where, value=share))
    problems += s.risk_rule.problems()
    if s.time_zone is not None and s.time_zone not in TIME_ZONES:
        problems.append(
            Problem.from_text(
                "operation.time_zone",
                "settings.time_zone",
                value=s.time_zone,
                expected=", ".join(TIME_ZONES),
            )
        )
    problems += phase_problems(s.phases)
    if not _is_positive_number(s.area_margin_m) and s.area_margin_m != 0:
        where = "import.area_margin_m"
        problems.append(
            Problem.from_text(where, "settings.metres_or_zero", key=where, value=s.area_margin_m)
        )
    return problems


def _ring_problems(rings: tuple[float, ...]) -> list[Problem]:
    if not rings or not all(_is_positive_number(r) for r in rings):
        return [Problem.from_text("ring_zones_m", "settings.rings_positive", value=rings)]
    if list(rings) != sorted(set(rings)):
        return [Problem.from_text("ring_zones_m", "settings.rings_increasing", value=rings)]
    return []


def _is_positive_number(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value > 0
    )


_KNOWN_KEYS: Mapping[str, frozenset[str]] = {
    "": frozenset(
        {
            "operation",
            "radius_m",
            "ring_zones_m",
            "staffing",
            "import",
            "coverage",
            "risk_rule",
            "phases",
        }
    ),
    "coverage": frozenset({"risk_weights", "threat_distance_m"}),
    "operation": frozenset(
        {
            "title",
            "classification",
            "partner_classification",
            "language",
            "data_note",
            "synthetic",
            "time_zone",
        }
    ),
    "staffing": frozenset({"preset", "presets"}),
    "import": frozenset(
        {"area_margin_m", "max_rows", "max_upload_mb", "max_replace_share", "time_budget_s"}
    ),
    "risk_rule": frozenset({"sangat_rawan_at", "sangat_rawan_any", "rawan_at"}),
}


def load_settings(path: Path) -> Settings:
    """Read and validate an operation's settings file.

    Parameters
    ----------
    path
        A TOML file (usually `operation.toml` in the operation folder).

    Returns
    -------
    settings
        The validated settings.

    Raises
    ------
    SettingsError
        When the file is missing, is not valid TOML, or breaks a rule; the error lists
        every problem found.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SettingsError.from_text("settings.file_missing", file=str(path)) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError.from_text(
            "settings.bad_toml", file=str(path), reason=str(exc)
        ) from None
    try:
        return parse_settings(data)
    except SettingsError as exc:
        raise SettingsError.from_text(
            "settings.file", exc.problems, file=str(path), error=exc
        ) from None


def parse_settings(data: Mapping[str, Any]) -> Settings:
    """Build validated settings from the parsed TOML tables.

    Raises
    ------
    SettingsError
        Listing every unknown key, wrong type and out-of-range value.
    """
    problems = _unknown_key_problems(data)
    operation = _table(data, "operation", problems)
    title = operation.get("title")
    if not isinstance(title, str):
        problems.append(
            Problem.from_text(
                "operation.title", "settings.not_text", key="operation.title", value=title
            )
        )
        title = "?"
    radius_m = _parse_radii(_table(data, "radius_m", problems), problems)
    rings = _parse_rings(_table(data, "ring_zones_m", problems))
    staffing = _table(data, "staffing", problems)
    presets = _parse_presets(staffing.get("presets", {}), problems)
    imports = _table(data, "import", problems)
    coverage = _table(data, "coverage", problems)
    weights = _parse_weights(coverage.get("risk_weights", {}), problems)
    margin = imports.get("area_margin_m", 5000.0)
    preset_name = staffing.get("preset", "typical_2024")
    values = {
        "title": title,
        "classification": _text(operation, "classification", "TERBATAS", problems),
        "partner_classification": _text(
            operation, "partner_classification", PARTNER_CLASSIFICATION, problems
        ),
        "language": _text(operation, "language", "id", problems),
        "data_note": _text(operation, "data_note", "", problems),
        "synthetic": bool(operation.get("synthetic", False)),
        "staffing_preset": preset_name if isinstance(preset_name, str) else "",
        "custom_presets": presets,
        "area_margin_m": margin,
        "max_import_rows": imports.get("max_rows", 1_000_000),
        "max_upload_mb": imports.get("max_upload_mb", 200.0),
        "import_time_budget_s": imports.get("time_budget_s", 60.0),
        "max_replace_share": imports.get("max_replace_share", 0.5),
        "risk_weights": {**DEFAULT_RISK_WEIGHTS, **weights},
        "threat_distance_m": coverage.get("threat_distance_m", 1000.0),
        "risk_rule": _parse_rule(_table(data, "risk_rule", problems)),
        "time_zone": _time_zone(operation, problems),
        "phases": parse_phases(data.get("phases", []), problems, lang=_phase_language(operation)),
    }
    settings = None
    try:
        radii = {k: float(v) if _is_positive_number(v) else v for k, v in radius_m.items()}
        settings = Settings(radius_m={**DEFAULT_RADIUS_M, **radii}, ring_zones_m=rings, **values)
    except SettingsError as exc:
        problems.extend(exc.problems)
    if problems or settings is None:
        raise _invalid(problems)
    return settings


def _phase_language(operation: Mapping[str, Any]) -> str:
    """The language default phases are named in: the operation's, when it is one we speak."""
    language = operation.get("language")
    return language if language in LANGUAGES else "id"


def _time_zone(table: Mapping[str, Any], problems: list[Problem]) -> str | None:
    """`[operation] time_zone` as written (upper case), None when absent."""
    if "time_zone" not in table:
        return None
    if not isinstance(table["time_zone"], str):
        _text(table, "time_zone", "", problems)  # reports the wrong type
        return None
    return table["time_zone"].strip().upper()


def _parse_rule(table: Mapping[str, Any]) -> RiskRule:
    """The `[risk_rule]` table as given; `Settings` checks it (a list of ids becomes a tuple,
    anything else stays as it is, to be reported)."""
    defaults = RiskRule()
    any_of = table.get("sangat_rawan_any", defaults.sangat_rawan_any)
    return RiskRule(
        sangat_rawan_at=table.get("sangat_rawan_at", defaults.sangat_rawan_at),
        sangat_rawan_any=tuple(str(i) for i in any_of) if isinstance(any_of, list) else any_of,
        rawan_at=table.get("rawan_at", defaults.rawan_at),
    )


def _unknown_key_problems(data: Mapping[str, Any]) -> list[Problem]:
    problems = []
    for table, allowed in _KNOWN_KEYS.items():
        section = data if not table else data.get(table, {})
        if not isinstance(section, Mapping):
            continue
        for key in section:
            if key not in allowed:
                where = f"{table}.{key}" if table else key
                problems.append(
                    Problem.from_text(
                        where,
                        "settings.unknown_key",
                        key=where,
                        expected=", ".join(sorted(allowed)),
                    )
                )
    return problems


def _table(data: Mapping[str, Any], name: str, problems: list[Problem]) -> Mapping[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, Mapping):
        problems.append(Problem.from_text(name, "settings.not_table", key=name))
        return {}
    return value


def _text(table: Mapping[str, Any], key: str, default: str, problems: list[Problem]) -> str:
    value = table.get(key, default)
    if not isinstance(value, str):
        problems.append(
            Problem.from_text(key, "settings.not_text", key=f"operation.{key}", value=value)
        )
        return default
    return value


def _parse_radii(table: Mapping[str, Any], problems: list[Problem]) -> dict[PostType, Any]:
    radii: dict[PostType, Any] = {}
    for key, value in table.items():
        try:
            radii[PostType(key)] = value
        except ValueError:
            problems.append(
                Problem.from_text(
                    f"radius_m.{key}",
                    "settings.unknown_post_type",
                    value=key,
                    expected=", ".join(PostType),
                )
            )
    return radii


def _parse_rings(table: Mapping[str, Any]) -> tuple[Any, ...]:
    """Ring radii in the order the file gives them; `Settings` checks they increase."""
    rings = tuple(float(v) if _is_positive_number(v) else v for v in table.values())
    return rings or DEFAULT_RING_ZONES_M


def _parse_weights(table: Any, problems: list[Problem]) -> dict[Risk, Any]:
    if not isinstance(table, Mapping):
        problems.append(
            Problem.from_text(
                "coverage.risk_weights", "settings.not_subtable", key="coverage.risk_weights"
            )
        )
        return {}
    weights: dict[Risk, Any] = {}
    for key, value in table.items():
        try:
            weights[Risk(key)] = value
        except ValueError:
            problems.append(
                Problem.from_text(
                    f"coverage.risk_weights.{key}",
                    "settings.unknown_risk",
                    value=key,
                    expected=", ".join(Risk),
                )
            )
    return weights


def _parse_presets(table: Mapping[str, Any], problems: list[Problem]) -> dict[str, StaffingPreset]:
    presets: dict[str, StaffingPreset] = {}
    if not isinstance(table, Mapping):
        problems.append(
            Problem.from_text("staffing.presets", "settings.not_subtable", key="staffing.presets")
        )
        return presets
    for name, spec in table.items():
        where = f"staffing.presets.{name}"
        if not isinstance(spec, Mapping):
            problems.append(Problem.from_text(where, "settings.not_subtable", key=where))
            continue
        groups: dict[Risk, StaffingGroup] = {}
        for risk in Risk:
            if risk in spec:
                group = _parse_group(spec[risk], f"{where}.{risk}", problems)
                if group:
                    groups[risk] = group
        if Risk.KURANG_RAWAN not in groups:
            problems.append(Problem.from_text(where, "settings.preset_base", key=where))
            continue
        min_polri = spec.get("min_polri", 2)
        if not isinstance(min_polri, int) or isinstance(min_polri, bool) or min_polri < 1:
            key = f"{where}.min_polri"
            problems.append(Problem.from_text(key, "settings.min_polri", key=key, value=min_polri))
            continue
        fallback = max(groups, key=list(Risk).index)
        label = spec.get("label", name)
        presets[name] = StaffingPreset(
            name=name, label=str(label), groups=groups, min_polri=min_polri, fallback=fallback
        )
    return presets


def _parse_group(value: Any, where: str, problems: list[Problem]) -> StaffingGroup | None:
    keys = ("polri", "tps", "linmas")
    if not isinstance(value, Mapping) or set(value) != set(keys):
        problems.append(Problem.from_text(where, "settings.group_shape", key=where, value=value))
        return None
    numbers = [value[k] for k in keys]
    if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in numbers):
        problems.append(Problem.from_text(where, "settings.group_numbers", key=where, value=value))
        return None
    if value["tps"] < 1:
        problems.append(Problem.from_text(where, "settings.group_tps", key=where))
        return None
    return StaffingGroup(polri=value["polri"], tps=value["tps"], linmas=value["linmas"])
