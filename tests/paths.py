"""Where the project and the real data beside it live."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# ../shared exists on development and CI machines, not in a user's clone.
SHARED = ROOT.parent / "shared"
SHARED_DATA = SHARED / "data"
