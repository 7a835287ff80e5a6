"""Finds visible text in templates that is not inside a translate tag (a heuristic).

Text nodes and the user-visible attributes (aria-label, title, placeholder, alt, data-label)
are checked after every template tag, variable, comment, <style> and <script> block is taken
out: what is left and contains letters was written in the template in one language.
"""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

# Words that are the same in every language: names, codes and units.
ALLOWED = {
    "Buurtzorg",
    "BSN",
    "UZOVI",
    "AGB",
    "EUR",
    "CSV",
    "PDF",
    "JSON",
    "iCal",
    "K",
    "B",
    "S",
    "h",
    "min",
}

_BLOCKS = [
    re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S),
    re.compile(r"{#.*?#}", re.S),
    re.compile(r"{%\s*blocktranslate\b.*?{%\s*endblocktranslate\s*%}", re.S),
    re.compile(r"<style\b.*?</style>", re.S | re.I),
    re.compile(r"<script\b.*?</script>", re.S | re.I),
]
_TAG_OR_VAR = re.compile(r"{%.*?%}|{{.*?}}", re.S)
_ATTRIBUTE = re.compile(
    r"""\s(?:aria-label|title|placeholder|alt|data-label)=(?:"([^"]*)"|'([^']*)')""", re.I
)
_HTML_TAG = re.compile(r"<[^>]*>", re.S)
_ENTITY = re.compile(r"&[a-zA-Z]+;|&#\d+;")
_WORD = re.compile(r"[^\W\d_]+")


def untranslated(source: str) -> list[str]:
    """The pieces of visible text in `source` that no translate tag covers."""
    for block in _BLOCKS:
        source = block.sub(" ", source)
    source = _TAG_OR_VAR.sub(" ", source)
    found = []
    for match in _ATTRIBUTE.finditer(source):
        value = match.group(1) if match.group(1) is not None else match.group(2)
        found.append(value)
    text = _HTML_TAG.sub("\n", source)
    found.extend(_ENTITY.sub(" ", text).split("\n"))
    problems = []
    for piece in found:
        words = [word for word in _WORD.findall(piece) if word not in ALLOWED]
        if words:
            problems.append(piece.strip())
    return problems


def scan() -> dict[str, list[str]]:
    """Every template with untranslated text: {path relative to templates/: [pieces]}."""
    result = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        problems = untranslated(path.read_text(encoding="utf-8"))
        if problems:
            result[str(path.relative_to(TEMPLATES))] = problems
    return result
