"""``hazeguard summary``: the report from the example episode file, read back from the .docx."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result
from docx import Document

from hazeguard.cli import main

EXAMPLE = Path(__file__).parent / "data" / "episode_liaocheng.json"


def run(*args: object) -> Result:
    return CliRunner().invoke(main, ["summary", *map(str, args)])


def episode_without_compliance(tmp_path: Path) -> Path:
    """The example episode with its enterprise table left to --findings."""
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    del data["compliance"]
    episode = tmp_path / "episode.json"
    episode.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return episode


def test_summary_writes_the_docx_and_the_markdown_of_the_example_episode(tmp_path: Path) -> None:
    docx, markdown = tmp_path / "summary.docx", tmp_path / "summary.md"
    result = run(EXAMPLE, "-o", docx, "--markdown", markdown)
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {docx}\nwrote {markdown}\n"
    document = Document(str(docx))
    assert document.paragraphs[0].text == "重污染天气应急响应总结报告"
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert (headings[0], headings[-1]) == ("一、基本情况", "九、各单位总结报告")
    timeline = document.tables[0]
    assert [c.text for c in timeline.rows[2].cells] == [
        "2024-12-10 18:00", "调整", "红色预警（Ⅰ级响应）", "会商后升级",
    ]  # fmt: skip
    assert len(document.inline_shapes) == 1  # the forecast-vs-observed AQI chart
    text = markdown.read_text(encoding="utf-8")
    assert "最高级别 Highest level: 红色预警（Ⅰ级响应）" in text
    assert "| 聊城某水泥有限公司 | 3 | 是 | 3/3，不符 1 | 1/1 | 1；1/0 | 2/0/1/0 | 未落实 |" in text


def test_summary_fills_the_enterprise_table_from_comply_findings(tmp_path: Path) -> None:
    episode = episode_without_compliance(tmp_path)
    findings = tmp_path / "findings.csv"
    findings.write_text(
        "enterprise,meter,day,status\n"
        "E1,m1,2024-12-10,compliant\nE1,m2,2024-12-10,violation\nE2,m3,2024-12-10,suspicious\n",
        encoding="utf-8",
    )
    docx = tmp_path / "s.docx"
    result = run(episode, "-o", docx, "--findings", findings)
    assert result.exit_code == 0, result.output
    enterprises = Document(str(docx)).tables[4]
    assert [[c.text for c in row.cells][-2:] for row in enterprises.rows[1:]] == [
        ["1/0/1/0", "未落实"],
        ["0/1/0/0", "存疑"],
    ]


def test_it_rejects_a_bad_field_naming_the_file_and_the_field(tmp_path: Path) -> None:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["timeline"][2]["action"] = "raise"
    episode = tmp_path / "episode.json"
    episode.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run(episode, "-o", tmp_path / "s.docx")
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {episode}: episode.timeline[2].action: 'raise' is not one of issue, adjust, lift\n"
    )
    assert not (tmp_path / "s.docx").exists()


def test_it_rejects_malformed_json_naming_line_and_column(tmp_path: Path) -> None:
    episode = tmp_path / "episode.json"
    episode.write_text('{\n  "plan_id": "liaocheng-2020",\n}\n', encoding="utf-8")
    result = run(episode, "-o", tmp_path / "s.docx")
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {episode}: line 3, column 1: not JSON: "
        "Expecting property name enclosed in double quotes\n"
    )


def test_it_rejects_an_unknown_status_in_the_findings(tmp_path: Path) -> None:
    episode = episode_without_compliance(tmp_path)
    findings = tmp_path / "findings.csv"
    findings.write_text("enterprise,status\nE1,compliant\nE1,ok\n", encoding="utf-8")
    result = run(episode, "-o", tmp_path / "s.docx", "--findings", findings)
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {findings}: row 3, column 'status': 'ok' is not one of compliant, suspicious, "
        "violation, insufficient_data\n"
    )


def test_summary_schema_prints_the_documented_schema() -> None:
    result = run("--schema")
    assert result.exit_code == 0, result.output
    schema_file = Path(__file__).parents[3] / "docs" / "episode-summary.schema.json"
    assert json.loads(result.output) == json.loads(schema_file.read_text(encoding="utf-8"))


def test_it_says_when_the_report_cannot_be_written(tmp_path: Path) -> None:
    target = tmp_path / "no such folder" / "s.docx"
    result = run(EXAMPLE, "-o", target)
    assert result.exit_code == 1
    assert result.output == f"Error: {target}: cannot write: No such file or directory\n"
