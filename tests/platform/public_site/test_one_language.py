"""One language at a time (STYLE.md §27, issue 12 §4): every public page and the enterprise
portal, in Chinese and in English, read as a person reads them (the text, not the markup).

A page fails on an internal code ("red", "county_governments", "None", "in_force"), a raw ISO
time, or a word of the other language. Text the page marks as being in the other language
(``lang="zh-CN"`` on a plan's measure or an enterprise's name in English mode, ``lang="en"`` on
the language switch's "English") is a proper name or the plan's own words and is left out, as
are the allow-listed names and units below.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from enterprises.list_helpers import Firms, listed_firms
from flows import in_force

from conftest import Staff
from hazeguard_platform.enterprises.services import production_status_report

pytestmark = pytest.mark.django_db

# Names, units and abbreviations that are the same in both languages.
LATIN_IN_CHINESE = {
    "HazeGuard", "CAP", "AQI", "PM", "CSV", "Excel", "WPS", "docx", "xlsx", "SO", "NOx", "VOCs",
    "NO", "CO", "O", "µg", "m³", "t", "d", "h", "K", "M", "R", "Atom", "A", "B", "C", "D",
}  # fmt: skip
CODES = re.compile(r"\b(?:None|null)\b|\b[a-z]+_[a-z_]+\b")
CHINESE_CODES = re.compile(r"\b(?:red|orange|yellow|blue)\b")
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?(?:[+-]\d{2}:\d{2}|Z)?")
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")


def _text(html: str, other: str) -> str:
    """The page's visible text without the passages marked as in the ``other`` language."""
    tree = lxml.html.fromstring(html)
    # The tab's title may be a proper name (an enterprise's); the page's heading is checked.
    for element in tree.xpath("//script | //style | //title"):
        element.drop_tree()
    # zxx: no language (a user name in the header).
    marked = f"//*[@lang and (starts-with(@lang, '{other}') or @lang = 'zxx')]"
    for element in tree.xpath(marked):
        if element.tag != "html":
            element.drop_tree()
    return " ".join(tree.text_content().split())


def _problems(text: str, language: str) -> list[str]:
    found = [f"code {m.group(0)!r}" for m in CODES.finditer(text)]
    found += [f"raw time {m.group(0)!r}" for m in ISO_TIME.finditer(text)]
    if language == "zh-hans":
        found += [f"code {m.group(0)!r}" for m in CHINESE_CODES.finditer(text)]
        # Latin words standing alone (not the letters of a credit code such as 9137…709F).
        words = set(re.findall(r"(?<![0-9A-Za-z])[A-Za-zµ³]+(?![0-9A-Za-z])", text))
        words -= LATIN_IN_CHINESE
        found += [f"English {word!r}" for word in sorted(words)]
    else:
        found += [f"Chinese {m.group(0)!r}" for m in CJK.finditer(text)]
    return found


@pytest.fixture
def walked(liaocheng: Staff, clock: time_machine.Coordinates, tmp_path: Path) -> Firms:
    """Liaocheng with its list, a red warning in force and a report from the cement plant."""
    firms = listed_firms(liaocheng.office_clerk, liaocheng.jurisdiction, tmp_path)
    in_force(liaocheng, clock, "red")
    production_status_report(
        actor=firms.cement_contact,
        enterprise_id=firms.cement.pk,
        day=timezone.localdate(),
        entries=[{"unit_id": u.unit_id, "status": "stopped"} for u in firms.cement.units.all()],
    )
    return firms


def _pages(firms: Firms) -> dict[str, Client]:
    public = Client()
    contact = Client()
    contact.force_login(firms.cement_contact)
    pages = ["/", "/j/liaocheng/", "/history/", "/j/liaocheng/list/", "/subscribe/"]
    county = firms.cement.jurisdiction.children.order_by("code").first()
    assert county is not None
    pages += [f"/j/{county.code}/", "/history/?jurisdiction=liaocheng"]
    found = dict.fromkeys(pages, public)
    found[f"/enterprises/{firms.cement.pk}/"] = contact
    return found


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_public_page_and_the_portal_is_in_one_language(walked: Firms, language: str) -> None:
    other = "en" if language == "zh-hans" else "zh"
    problems: dict[str, list[str]] = {}
    for url, client in _pages(walked).items():
        client.cookies["django_language"] = language
        response = client.get(url)
        assert response.status_code == 200, url
        found = _problems(_text(response.content.decode(), other), language)
        if found:
            problems[url] = sorted(set(found))[:40]
    assert problems == {}, "\n".join(
        f"{url}: {', '.join(found)}" for url, found in problems.items()
    )
