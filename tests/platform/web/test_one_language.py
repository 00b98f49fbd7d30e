"""Staff pages in one language at a time (issue 12 §4, STYLE.md §27).

The demo is loaded, and each demo account walks every staff page it can reach from its home by
links (one page per URL pattern), in Chinese and in English. In English mode no Chinese text may
show but what the database holds (names of places, units, enterprises and people, what people
typed, the plan's own text, stored messages); in Chinese mode no English word may show but those
data, units and the acronyms people use (AQI, PM2.5, CSV …).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import models
from django.test import Client
from django.utils import timezone
from page_text import CJK, read

from hazeguard_platform.accounts.models import Role
from hazeguard_platform.audit.models import AuditEntry
from hazeguard_platform.demo import demo_load
from hazeguard_platform.notices.models import Notice

pytestmark = pytest.mark.django_db

# The staff side: what a signed-in person works in (the public site has its own test).
STAFF = (
    "/staff/",
    "/notices/",
    "/enterprises/",
    "/operations/",
    "/summaries/",
    "/evaluation/",
    "/meters/",
    "/monitoring/",
    "/supervision/",
)
SKIP = re.compile(r"\.(docx|json|csv|png|xlsx|pdf|zip)$|/ack/|/receipts/")
ROLES = (
    "liaocheng-clerk",
    "liaocheng-director",
    "liaocheng-deputy",
    "liaocheng-commander",
    "kashgar-clerk",
    "kashgar-director",
    "liaocheng-enterprise",
)
# The accounts that report (a member unit's staff, a county's officer): named by the demo after
# the plan's first unit and county, so taken from its list of accounts.
REPORTING = (Role.MEMBER_UNIT_STAFF, Role.COUNTY_OFFICER)
# Words of no language, or the same in both: units, acronyms, formats, standards.
NEUTRAL = {
    "AQI", "PM2.5", "PM10", "PM", "SO2", "NO2", "CO", "O3", "IAQI", "CSV", "JSON", "API", "CAP",
    "SMS", "Excel", "Word", "docx", "xlsx", "HJ", "GB", "ECharts", "Webhook", "HMAC", "TOTP",
    "URL", "HazeGuard", "OpenAPI", "ID", "km", "h", "µg", "m³", "kWh", "VOCs", "NOx", "CEMS",
    "English",
}  # fmt: skip
# The language switch names each language in itself.
OWN_NAMES = {"简体中文"}
# The columns and values of the files people upload (the station registry, CNEMC's layout),
# named as the file has them.
NEUTRAL |= {"national", "provincial", "county", "micro", "latitude", "longitude", "approximate"}
# A word: letters only; identifiers (snake_case, CamelCase, with digits: "2xx", "pm25") are
# names a file or a protocol uses, the same in both languages.
WORD = re.compile(r"(?<![\w.])[A-Za-z]+(?![\w])")
CAMEL = re.compile(r"[a-z][A-Z]|^[A-Z][a-z]+[A-Z]")


def _stored_text() -> str:
    """Every text the database holds: people's data and the plans', never the code's words, nor
    what the platform writes itself in each language (a notice's text and its audit record),
    which must be in the page's language like the code's words."""
    found: list[str] = []
    for model in apps.get_models():
        if model is Notice:
            continue
        rows = model.objects.all()
        if model is AuditEntry:
            rows = rows.exclude(action__startswith="notice.")
        fields = [
            f.name
            for f in model._meta.get_fields()
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
            and not f.choices
        ]
        if not fields:
            continue
        for row in rows.values_list(*fields):
            found.extend(str(value) for value in row if value)
    return "\n".join(found)


def _pattern(path: str) -> str:
    """One page per kind: ids and jurisdictions' codes left out (``/staff/j/J/``)."""
    path = re.sub(r"\d+", "N", path)
    return re.sub(r"/(j|list|matrix|episodes?)/[a-z][a-z-]*/", r"/\1/J/", path)


def _walk(client: Client, home: str) -> Iterator[tuple[str, list[str]]]:
    """Each staff page reachable from ``home`` (one per URL pattern): its path and text."""
    queue, seen = [home], {_pattern(home)}
    while queue:
        path = queue.pop(0)
        answer = client.get(path)
        if answer.status_code in (301, 302):
            target = urlsplit(answer["Location"]).path
            if target.startswith(STAFF) and _pattern(target) not in seen:
                seen.add(_pattern(target))
                queue.append(target)
            continue
        if answer.status_code != 200 or "text/html" not in answer.get("Content-Type", ""):
            continue
        parser = read(answer.content.decode())
        yield path, parser.text
        for link in parser.links:
            target = urlsplit(link)
            if target.netloc or not target.path.startswith(STAFF) or SKIP.search(target.path):
                continue
            key = _pattern(target.path)
            if key not in seen:
                seen.add(key)
                queue.append(target.path + (f"?{target.query}" if target.query else ""))


def _foreign(run: str, stored: str) -> bool:
    """A Chinese run on an English page that no stored text holds and is no language's name."""
    return run not in stored and run not in OWN_NAMES


def _mixed(text: list[str], language: str, stored: str) -> list[str]:
    """The other language's words in a page's ``text`` that are no stored data."""
    found = []
    for piece in text:
        if language == "en":
            found += [
                run
                for run in CJK.findall(piece)
                if run not in stored and run not in OWN_NAMES and run.strip("，。：；、（）·")
            ]
        else:
            found += [
                word
                for word in WORD.findall(piece)
                if word not in NEUTRAL
                and word not in stored
                and not word.isupper()
                and not CAMEL.search(word)
                and len(word) > 1
            ]
    return found


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_staff_page_of_the_demo_speaks_one_language(language: str) -> None:
    accounts = demo_load(now=timezone.now())
    reporting = tuple(account.username for account in accounts if account.role in REPORTING)
    assert len(reporting) == len(REPORTING), reporting
    stored = _stored_text()
    mixed: dict[str, set[str]] = {}
    for username in ROLES + reporting:
        client = Client(raise_request_exception=False)  # a refusal is a 403 page, skipped
        client.cookies["django_language"] = "en" if language == "en" else "zh-hans"
        client.force_login(User.objects.get(username=username))
        for path, text in _walk(client, "/staff/"):
            words = _mixed(text, language, stored)
            if words:
                mixed.setdefault(_pattern(path), set()).update(words)
    assert mixed == {}, "\n".join(
        f"{path}: {sorted(words)[:20]}" for path, words in sorted(mixed.items())
    )
