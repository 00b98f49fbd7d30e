"""What a person reads on a page, and the checks that a page speaks one language (issue 12 §4).

Shared by the walker of every staff page (``web/test_one_language.py``) and the notice tests:
the text outside scripts and styles, the links offered, and the Chinese runs on an English page
that are no proper name.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from html.parser import HTMLParser

from django.contrib.auth.models import User
from django.test import Client

from hazeguard_platform.enterprises.models import ListedEnterprise
from hazeguard_platform.jurisdictions.models import Jurisdiction, MemberUnit
from hazeguard_platform.notices.models import Contact, Notice, WebhookEndpoint
from hazeguard_platform.operations.models import SummaryReport
from hazeguard_platform.warnings.models import Warning

CJK = re.compile(r"[\u3400-\u9fff]+")
QUEUE = re.compile(r'<ul class="queue" id="queue-notices">.*?</ul>', re.S)


class PageText(HTMLParser):
    """The text a person reads on a page (not scripts or styles) and the links it offers."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = dict(attrs)
        # Scripts and styles are no text; <code> is a file's own column or a command, as typed.
        if tag in ("script", "style", "template", "code"):
            self._hidden += 1
        if tag == "a" and given.get("href"):
            self.links.append(str(given["href"]))
        for name in ("placeholder", "title", "aria-label", "alt"):
            if given.get(name):
                self.text.append(str(given[name]))
        if tag == "input" and given.get("type") in ("submit", "button") and given.get("value"):
            self.text.append(str(given["value"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template", "code"):
            self._hidden = max(0, self._hidden - 1)

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.text.append(data.strip())


def read(html: str) -> PageText:
    """The text and links of ``html``."""
    parser = PageText()
    parser.feed(html)
    return parser


def proper_names() -> str:
    """The names people and places go by, and what people typed (a proposal's reason): the
    Chinese an English page may show. Never a notice's own text."""
    found: list[str] = []
    found += Jurisdiction.objects.values_list("name_zh", flat=True)
    found += MemberUnit.objects.values_list("name_zh", flat=True)
    found += ListedEnterprise.objects.values_list("name", flat=True)
    found += Contact.objects.values_list("name", flat=True)
    found += WebhookEndpoint.objects.values_list("name", flat=True)
    found += Warning.objects.values_list("reason", flat=True)
    found += SummaryReport.objects.values_list("return_reason", flat=True)
    for first, last, username in User.objects.values_list("first_name", "last_name", "username"):
        found += [first, last, username]
    found.append("简体中文")  # the language switch names each language in itself
    return "\n".join(name for name in found if name)


def chinese_runs(text: Iterable[str], allowed: str) -> set[str]:
    """The Chinese runs in ``text`` that no proper name in ``allowed`` holds."""
    return {
        run
        for piece in text
        for run in CJK.findall(piece)
        if run not in allowed and run.strip("，。：；、（）·")
    }


def notice_pages(notice: Notice, office: User) -> list[tuple[User, str]]:
    """Where ``notice`` shows: the office's list and the notice's page, and each person's inbox
    and home (its "待我处理" queue)."""
    pages = [(office, "/notices/"), (office, f"/notices/{notice.pk}/")]
    for recipient in notice.recipients.filter(user__isnull=False).select_related("user"):
        assert recipient.user is not None
        pages += [(recipient.user, "/notices/inbox/"), (recipient.user, "/staff/")]
    return pages


def assert_notice_speaks_one_language(notice: Notice, office: User) -> None:
    """In English, every page that shows ``notice`` shows its English title and no Chinese but
    proper names; in Chinese, its Chinese title and not the English one."""
    allowed = proper_names()
    assert notice.title_en, f"notice {notice.pk} ({notice.event}) has no English title"
    for user, path in notice_pages(notice, office):
        for language, title, other in (
            ("en", notice.title_en, notice.title),
            ("zh-hans", notice.title, notice.title_en),
        ):
            client = Client()
            client.cookies["django_language"] = language
            client.force_login(user)
            answer = client.get(path)
            assert answer.status_code == 200, (path, user.username, answer.status_code)
            page = answer.content.decode()
            if path == "/staff/":
                # The home's queue of notices to acknowledge; the rest is the dashboard's.
                queue = QUEUE.search(page)
                page = queue.group(0) if queue else ""
            shown = html.unescape(page)
            if path == "/staff/" and title not in shown and other not in shown:
                continue  # acknowledged, or asks nothing: not in the queue
            where = f"{path} as {user.username} in {language}"
            assert title in shown, where
            assert other not in shown, where
            if language == "en":
                runs = chinese_runs(read(page).text, allowed)
                assert runs == set(), f"{where}: {sorted(runs)}"
            else:
                assert CJK.search(title), where
