"""Site sign and site plan as .docx, checked by reading the documents back."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from sample_list import sample_book

from hazeguard.documents.measure_text import describe
from hazeguard.documents.site import Contacts, write_site_plan, write_site_sign
from hazeguard.reduction.model import Enterprise, Measure, MeasureKind, WarningLevel


def all_text(path: Path) -> str:
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def cement() -> Enterprise:
    return sample_book().emission_list.enterprises[0]


def test_the_site_sign_shows_identity_measures_per_level_and_contacts(tmp_path: Path) -> None:
    path = tmp_path / "sign.docx"
    write_site_sign(cement(), path, Contacts("张三", "0635-1234567"))
    text = all_text(path)
    assert "重污染天气应急减排公示牌" in text
    assert "聊城示例水泥有限公司" in text
    assert cement().credit_code in text
    assert "C级" in text
    assert "1号熟料生产线停产（以生产线计，不低于产能的50%）" in text
    assert "停止使用国四及以下重型载货车辆（含燃气）进行运输" in text
    assert "红色预警" in text
    assert "全厂停产" in text
    assert "张三" in text
    assert "12369" in text


def test_the_site_plan_has_units_measures_and_the_reduction_per_level(tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    write_site_plan(cement(), path)
    text = all_text(path)
    assert "一厂一策" in text
    assert "2号熟料生产线" in text
    assert "长期停产" in text  # the idle grinding unit is shown with its status
    # yellow: line 1 stops -> NOx 1.2 of 2.3 t/d operating baseline (52%)
    assert "1.2（52%）" in text
    # red: everything operating stops -> NOx 2.3 t/d (100%)
    assert "2.3（100%）" in text
    assert "国四 40 车次/天" in text


def test_an_enterprise_without_measures_says_so(tmp_path: Path) -> None:
    bare = Enterprise(**{**{f: getattr(cement(), f) for f in Enterprise.__slots__}, "measures": ()})
    path = tmp_path / "sign.docx"
    write_site_sign(bare, path)
    assert all_text(path).count("无（未列减排措施）") == 3


def test_it_words_each_measure_kind_as_the_plans_do() -> None:
    enterprise = cement()
    level = WarningLevel.ORANGE
    feed = Measure(level, MeasureKind.FEED_CAP, ("L1",), amount=768.0, base_amount=960.0)
    assert describe(feed, enterprise) == "1号熟料生产线投料量由960吨/天降至768吨/天及以下"
    coke = Measure(level, MeasureKind.EXTEND_COKING, amount=36.0, base_amount=24.0)
    assert describe(coke, enterprise) == "结焦时间由24小时延长至36小时"
    rotate = Measure(level, MeasureKind.ROTATE, batch=2, batches=3)
    assert describe(rotate, enterprise) == "全厂轮流停产：第2批（共3批）"
    limit = Measure(level, MeasureKind.LIMIT, ("L2",), fraction=0.2)
    assert describe(limit, enterprise) == "2号熟料生产线限产20%"
