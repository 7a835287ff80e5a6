"""The style sheets parse as their authors meant: every block is closed. A lost `}` (easily
left behind when two changes to app.css are merged) silently puts every later rule inside the
phone-only media query, so the desktop loses them without any error."""

import re
from pathlib import Path

import pytest
from django.conf import settings

CSS_FILES = sorted((Path(settings.BASE_DIR) / "static" / "css").glob("*.css"))


def _unbalanced(css: str) -> list[str]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    problems, depth = [], 0
    for number, line in enumerate(css.splitlines(), start=1):
        for char in line:
            depth += {"{": 1, "}": -1}.get(char, 0)
            if depth < 0:
                problems.append(f"line {number}: '}}' closes nothing")
                depth = 0
    if depth:
        problems.append(f"{depth} block(s) never closed")
    return problems


def test_there_are_style_sheets() -> None:
    assert CSS_FILES


@pytest.mark.parametrize("path", CSS_FILES, ids=lambda p: p.name)
def test_every_block_of_the_style_sheet_is_closed(path: Path) -> None:
    assert _unbalanced(path.read_text(encoding="utf-8")) == []


def test_the_check_finds_a_lost_brace() -> None:
    assert _unbalanced("@media (max-width: 640px) { a { color: red; }\nb { color: blue; }") == [
        "1 block(s) never closed"
    ]
