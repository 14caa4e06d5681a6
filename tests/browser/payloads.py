"""An operation whose every text carries script payloads, for the escaping tests."""

from __future__ import annotations

import json
from pathlib import Path

MARKER = "__pwned"
PAYLOADS = (
    f"<script>window.{MARKER}=1</script>",
    f'<img src=x onerror="window.{MARKER}=1">',
    f"javascript:window.{MARKER}=1",
    f'" onmouseover="window.{MARKER}=1',
    f"'><svg onload=window.{MARKER}=1>",
)
TITLE = f'Ops <img src=x onerror="window.{MARKER}=1"> & co'


def _point(site_id: str, kind: str, lon: float, lat: float, **props: object) -> dict:
    return {
        "type": "Feature",
        "properties": {"site_id": site_id, "kind": kind, **props},
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
    }


def write_payload_operation(folder: Path) -> None:
    """Write an operation folder whose names, ids, areas and settings are payloads."""
    folder.mkdir(parents=True)
    lon, lat = 106.11, -2.11
    features = [
        _point(
            "POST-1",
            "police_post",
            lon,
            lat,
            name=PAYLOADS[3],
            post_type="polsek",
            personnel=10,
            location_quality="surveyed",
        ),
        _point(
            "GOV-1",
            "government",
            lon + 0.004,
            lat,
            name=PAYLOADS[4],
            role="mayor",
            location_quality="surveyed",
        ),
        _point(
            "DEMO-1",
            "demonstration_point",
            lon,
            lat + 0.004,
            name=PAYLOADS[2],
            location_quality="surveyed",
        ),
    ]
    for i, payload in enumerate(PAYLOADS):
        features.append(
            _point(
                f"TPS-{i}{payload}",
                "polling_station",
                lon + 0.003 * i - 0.006,
                lat - 0.02 - 0.003 * i,
                name=f"TPS {i} {payload}",
                tps_no=i + 1,
                kelurahan=payload,
                kecamatan=payload,
                risk="rawan",
                voters=300,
                location_quality="surveyed",
            )
        )
    collection = {"type": "FeatureCollection", "features": features}
    (folder / "sites.geojson").write_text(json.dumps(collection), encoding="utf-8")
    area = {
        "type": "Feature",
        "properties": {"area_code": "A1", "name": PAYLOADS[1], "level": "kecamatan"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [
                [
                    [lon - 0.03, lat - 0.04],
                    [lon + 0.03, lat - 0.04],
                    [lon + 0.03, lat + 0.02],
                    [lon - 0.03, lat + 0.02],
                    [lon - 0.03, lat - 0.04],
                ]
            ],
        },
    }
    (folder / "areas.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": [area]}), encoding="utf-8"
    )
    settings = {
        "title": TITLE,
        "classification": PAYLOADS[0],
        "data_note": PAYLOADS[1],
    }
    lines = ["[operation]"] + [f"{k} = {json.dumps(v)}" for k, v in settings.items()]
    (folder / "operation.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
