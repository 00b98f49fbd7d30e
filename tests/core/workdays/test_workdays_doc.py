"""The examples in docs/compliance.md run and say what the code returns."""

from __future__ import annotations

import re

from paths import ROOT

DOC = ROOT / "docs" / "compliance.md"


def test_the_working_day_examples_in_the_doc_give_the_values_their_comments_state() -> None:
    block = re.search(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert block is not None
    namespace: dict[str, object] = {}
    lines = block.group(1).splitlines()
    exec(block.group(1), namespace)
    checked = 0
    for line in lines:
        if "  # " not in line:
            continue
        code, comment = line.split("  # ", 1)
        value = eval(code, namespace)
        assert str(value) in comment or (value is True and comment.startswith("True"))
        checked += 1
    assert checked == 3
