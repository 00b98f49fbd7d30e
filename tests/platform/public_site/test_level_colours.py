"""The pages' level and AQI colours come from the core: one fact, one place (STYLE.md §22)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from hazeguard.aqi import describe_level
from hazeguard.vocabulary import LEVELS, WARNING_LEVELS

pytestmark = pytest.mark.django_db

SITE_CSS = (
    Path(__file__).parents[3] / "src/hazeguard_platform/public/static/hazeguard/site.css"
).read_text(encoding="utf-8")


def test_every_page_links_the_stylesheet_built_from_the_core(client: Client) -> None:
    page = client.get("/").content.decode()
    css = client.get("/levels.css")

    assert 'href="/levels.css"' in page
    assert css["Content-Type"].startswith("text/css")
    text = css.content.decode()
    for level in WARNING_LEVELS:
        assert f"--{level}: {LEVELS[level].colour};" in text
    for category in range(1, 7):
        assert f".aqi-{category} {{ background: {describe_level(category).hex};" in text


def test_the_static_stylesheet_writes_no_level_or_category_colour_of_its_own() -> None:
    written = {colour.lower() for colour in re.findall(r"#[0-9a-fA-F]{6}\b", SITE_CSS)}
    core = {LEVELS[level].colour.lower() for level in WARNING_LEVELS} | {
        describe_level(category).hex.lower() for category in range(1, 7)
    }

    assert not written & core
    assert not re.search(r"\.aqi-\d \{|--(blue|yellow|orange|red):", SITE_CSS)
