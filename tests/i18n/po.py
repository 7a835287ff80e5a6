"""A small reader for gettext .po files: enough to check a catalogue (no polib needed)."""

import ast
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())


def read_po(path: Path) -> list[Entry]:
    """Every entry of the catalogue at `path`, the header (empty msgid) included."""
    entries: list[Entry] = []
    entry = Entry()
    key: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal entry, key
        if key is not None:
            entries.append(entry)
        entry, key = Entry(), None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            entry.obsolete = True
            continue
        if line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            text = ast.literal_eval(line)
        else:
            keyword, _, rest = line.partition(" ")
            text = ast.literal_eval(rest)
            if keyword.startswith("msgid") and key is not None and key[0] == "msgstr":
                finish()
            if keyword == "msgid":
                key = ("msgid", 0)
            elif keyword == "msgid_plural":
                key = ("msgid_plural", 0)
            elif keyword == "msgstr":
                key = ("msgstr", 0)
            elif keyword.startswith("msgstr["):
                key = ("msgstr", int(keyword[7:-1]))
            else:
                continue
            if key[0] == "msgstr":
                entry.msgstr.setdefault(key[1], "")
        assert key is not None, f"{path}: text outside an entry: {raw!r}"
        if key[0] == "msgid":
            entry.msgid += text
        elif key[0] == "msgid_plural":
            entry.msgid_plural += text
        else:
            entry.msgstr[key[1]] += text
    finish()
    return entries
