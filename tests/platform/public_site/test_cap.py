"""CAP 1.2 messages built by hazeguard.cap are valid against OASIS's schema and say what matters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from xml.etree import ElementTree as ET

import pytest
from cap_schema import assert_valid_cap

from hazeguard.cap import (
    ATOM_NAMESPACE,
    CAP_NAMESPACE,
    AtomEntry,
    CapError,
    CapMeasure,
    CapReference,
    CapWarning,
    atom_index,
    cap_datetime,
    cap_message,
)

SHANGHAI = timezone(timedelta(hours=8))
NS = {"cap": CAP_NAMESPACE, "atom": ATOM_NAMESPACE}
SENDER = "hazeguard.liaocheng.example"

SCHOOLS = CapMeasure(
    category="health_protection",
    text="中小学、幼儿园停止户外活动",
    responsible_units=("市教育和体育局",),
    clause="003 §5.3.1(1)",
)
TRUCKS = CapMeasure(
    category="mandatory",
    text="城区内禁止重型和中型柴油货车通行",
    responsible_units=("市公安局",),
    clause="003 §5.3.3",
)
FIREWORKS = CapMeasure(category="mandatory", text="禁止燃放烟花爆竹", clause="003 §5.3.3")


def red_alert(**changes: object) -> CapWarning:
    fields: dict[str, object] = {
        "identifier": "liaocheng-w1-1",
        "sender": SENDER,
        "sent": datetime(2026, 12, 1, 9, 30, 15, 123456, tzinfo=SHANGHAI),
        "msg_type": "Alert",
        "level": "red",
        "response": "I",
        "jurisdiction_zh": "聊城市",
        "jurisdiction_en": "Liaocheng",
        "geocode": "371500",
        "onset": datetime(2026, 12, 2, 0, 0, tzinfo=SHANGHAI),
        "expires": datetime(2026, 12, 5, 0, 0, tzinfo=SHANGHAI),
        "sender_name": "聊城市重污染天气应急指挥部",
        "description_zh": "预测AQI日均值>200将持续4天。",
        "description_en": "Daily AQI forecast above 200 for 4 days.",
        "health_advice_zh": "儿童、老年人和心脏病、肺病患者应停留在室内。",
        "measures": (SCHOOLS, TRUCKS, FIREWORKS),
        "web": "http://example.org/public/liaocheng/",
    }
    fields.update(changes)
    return CapWarning(**fields)  # type: ignore[arg-type]


def first_reference() -> CapReference:
    alert = red_alert()
    return CapReference(sender=alert.sender, identifier=alert.identifier, sent=alert.sent)


def test_an_issued_red_warning_is_valid_cap_1_2() -> None:
    document = assert_valid_cap(cap_message(red_alert()))

    assert document.findtext("cap:msgType", namespaces=NS) == "Alert"
    assert document.findtext("cap:sent", namespaces=NS) == "2026-12-01T09:30:15+08:00"
    languages = [
        info.findtext("cap:language", namespaces=NS) for info in document.iterfind("cap:info", NS)
    ]
    assert languages == ["zh-CN", "en-US"]


def test_it_carries_the_level_response_and_severity() -> None:
    document = assert_valid_cap(cap_message(red_alert()))
    info = document.find("cap:info", NS)
    assert info is not None

    parameters = {
        p.findtext("cap:valueName", namespaces=NS): p.findtext("cap:value", namespaces=NS)
        for p in info.iterfind("cap:parameter", NS)
        if not (p.findtext("cap:valueName", namespaces=NS) or "").startswith("measure:")
    }
    assert parameters == {"level": "red", "colour": "#e00000", "response": "I"}
    assert info.findtext("cap:severity", namespaces=NS) == "Extreme"
    assert info.findtext("cap:event", namespaces=NS) == "重污染天气红色预警"
    assert info.findtext("cap:headline", namespaces=NS) == "聊城市发布重污染天气红色预警"
    assert "启动Ⅰ级应急响应" in (info.findtext("cap:description", namespaces=NS) or "")


def test_it_carries_every_measure_with_its_units_and_clause() -> None:
    document = assert_valid_cap(cap_message(red_alert()))
    info = document.find("cap:info", NS)
    assert info is not None

    measures = [
        (p.findtext("cap:valueName", namespaces=NS), p.findtext("cap:value", namespaces=NS))
        for p in info.iterfind("cap:parameter", NS)
        if (p.findtext("cap:valueName", namespaces=NS) or "").startswith("measure:")
    ]
    assert measures == [
        (
            "measure:health_protection",
            "中小学、幼儿园停止户外活动（责任单位：市教育和体育局）［003 §5.3.1(1)］",
        ),
        (
            "measure:mandatory",
            "城区内禁止重型和中型柴油货车通行（责任单位：市公安局）［003 §5.3.3］",
        ),
        ("measure:mandatory", "禁止燃放烟花爆竹［003 §5.3.3］"),
    ]
    instruction = info.findtext("cap:instruction", namespaces=NS) or ""
    assert instruction.splitlines()[0] == "儿童、老年人和心脏病、肺病患者应停留在室内。"
    assert "强制性减排措施：禁止燃放烟花爆竹" in instruction


def test_the_area_names_the_jurisdiction_and_its_division_code() -> None:
    document = assert_valid_cap(cap_message(red_alert()))

    areas = document.findall("cap:info/cap:area", NS)
    assert [a.findtext("cap:areaDesc", namespaces=NS) for a in areas] == ["聊城市", "Liaocheng"]
    assert areas[0].findtext("cap:geocode/cap:value", namespaces=NS) == "371500"


def test_an_adjustment_is_an_update_that_references_the_alert() -> None:
    update = red_alert(
        identifier="liaocheng-w1-2",
        msg_type="Update",
        level="orange",
        response="II",
        sent=datetime(2026, 12, 3, 10, 0, tzinfo=SHANGHAI),
        references=(first_reference(),),
    )
    document = assert_valid_cap(cap_message(update))

    assert document.findtext("cap:msgType", namespaces=NS) == "Update"
    assert document.findtext("cap:references", namespaces=NS) == (
        f"{SENDER},liaocheng-w1-1,2026-12-01T09:30:15+08:00"
    )
    assert document.findtext("cap:info/cap:severity", namespaces=NS) == "Severe"
    assert document.findtext("cap:info/cap:headline", namespaces=NS) == (
        "聊城市调整为重污染天气橙色预警"
    )


def test_lifting_is_a_cancel_that_gives_the_all_clear_without_measures() -> None:
    second = CapReference(SENDER, "liaocheng-w1-2", datetime(2026, 12, 3, 10, tzinfo=SHANGHAI))
    cancel = red_alert(
        identifier="liaocheng-w1-3",
        msg_type="Cancel",
        sent=datetime(2026, 12, 4, 12, 0, tzinfo=SHANGHAI),
        expires=datetime(2026, 12, 4, 12, 0, tzinfo=SHANGHAI),
        references=(first_reference(), second),
        note="空气质量改善，解除预警",
    )
    document = assert_valid_cap(cap_message(cancel))

    assert document.findtext("cap:msgType", namespaces=NS) == "Cancel"
    assert len((document.findtext("cap:references", namespaces=NS) or "").split()) == 2
    info = document.find("cap:info", NS)
    assert info is not None
    assert info.findtext("cap:responseType", namespaces=NS) == "AllClear"
    assert info.findtext("cap:urgency", namespaces=NS) == "Past"
    assert info.find("cap:instruction", NS) is None
    assert info.findtext("cap:headline", namespaces=NS) == "聊城市解除重污染天气红色预警"


def test_a_warning_with_an_open_end_carries_no_expiry() -> None:
    yellow = red_alert(level="yellow", response="III", expires=None, measures=())
    document = assert_valid_cap(cap_message(yellow))

    assert document.find("cap:info/cap:expires", NS) is None
    assert document.findtext("cap:info/cap:severity", namespaces=NS) == "Moderate"


def test_it_writes_utc_as_minus_zero_as_cap_asks() -> None:
    assert cap_datetime(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)) == "2026-01-02T03:04:05-00:00"


def test_the_schema_rejects_a_broken_message() -> None:
    broken = cap_message(red_alert()).replace("<status>Actual</status>", "<status>Bogus</status>")
    with pytest.raises(AssertionError, match="status"):
        assert_valid_cap(broken)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"identifier": "has space"}, "identifier"),
        ({"sender": "a,b"}, "sender"),
        ({"level": "purple"}, "level"),
        ({"response": "V"}, "response"),  # IV is Beijing blue's (vocabulary)
        ({"msg_type": "Cancel"}, "references"),
        ({"sent": datetime(2026, 12, 1, 9, 30)}, "sent"),
        ({"expires": datetime(2026, 12, 1, tzinfo=SHANGHAI)}, "expires"),
        ({"jurisdiction_zh": " "}, "jurisdiction_zh"),
    ],
)
def test_it_rejects_a_record_cap_cannot_carry_naming_the_field(
    changes: dict[str, object], field: str
) -> None:
    with pytest.raises(CapError, match=f"^{field}:"):
        red_alert(**changes)


def test_the_atom_index_lists_messages_newest_first_with_links_to_the_cap_xml() -> None:
    day = datetime(2026, 12, 1, tzinfo=SHANGHAI)
    text = atom_index(
        feed_id="urn:hazeguard:cap",
        title="HazeGuard 重污染天气预警",
        self_url="http://example.org/cap/feed.atom",
        author="HazeGuard",
        updated=day,
        entries=[
            AtomEntry("urn:hazeguard:m1", "发布红色预警", day, "http://example.org/cap/1.xml"),
            AtomEntry(
                "urn:hazeguard:m2",
                "解除红色预警",
                day + timedelta(days=3),
                "http://example.org/cap/2.xml",
                summary="解除",
                html_url="http://example.org/public/",
            ),
        ],
    )
    feed = ET.fromstring(text)

    assert feed.tag == f"{{{ATOM_NAMESPACE}}}feed"
    assert feed.findtext("atom:updated", namespaces=NS) == "2026-12-04T00:00:00+08:00"
    entries = feed.findall("atom:entry", NS)
    assert [e.findtext("atom:id", namespaces=NS) for e in entries] == [
        "urn:hazeguard:m2",
        "urn:hazeguard:m1",
    ]
    link = entries[0].find("atom:link[@type='application/cap+xml']", NS)
    assert link is not None
    assert link.get("href") == "http://example.org/cap/2.xml"


def test_an_empty_atom_index_uses_the_given_time() -> None:
    text = atom_index(
        feed_id="urn:x",
        title="t",
        self_url="http://example.org/f",
        author="a",
        updated=datetime(2026, 1, 1, tzinfo=UTC),
        entries=[],
    )
    assert "<updated>2026-01-01T00:00:00+00:00</updated>" in text
