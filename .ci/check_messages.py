"""`make lint`'s translation check: fails when `make messages` would change the Dutch catalogues
or when an entry in them is not translated yet.

Every user-facing string is marked for translation and has its Dutch text in
locale/nl/LC_MESSAGES/django.po (djangojs.po for static/js). A string marked but never
extracted shows in English to a Dutch nurse, and nothing else notices. So this runs the same
`makemessages` as `make messages` on a throw-away copy of the checkout (the real catalogues are
never written) and compares the entries (context, text, plural; not the file locations) with
the committed catalogues, then looks for empty and fuzzy translations. About 15 s.

Usage (the Makefile passes its MESSAGES_IGNORE): python .ci/check_messages.py --ignore=... ...
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGUAGE = "nl"
GIT = shutil.which("git") or "git"
DOMAINS = ("django", "djangojs")
_QUOTED = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"\s*$')
_CONTINUED = re.compile(r'^"(.*)"\s*$')

Key = tuple[str | None, str, str | None]  # (msgctxt, msgid, msgid_plural)


@dataclass
class Entry:
    key: Key
    translations: list[str]
    fuzzy: bool
    line: int


def parse_po(text: str) -> list[Entry]:
    """The catalogue's entries, the header and obsolete (#~) ones left out. Quoted texts are
    joined as written (not unescaped): both sides of a comparison come from the same tools."""
    entries: list[Entry] = []
    for block_start, block in _blocks(text):
        fields: dict[str, str] = {}
        current: str | None = None
        fuzzy = False
        for line in block:
            if line.startswith("#,"):
                fuzzy = fuzzy or "fuzzy" in line[2:].replace(" ", "").split(",")
            elif match := _QUOTED.match(line):
                current = match.group(1)
                fields[current] = match.group(2)
            elif (match := _CONTINUED.match(line)) and current is not None:
                fields[current] += match.group(1)
        if "msgid" not in fields or fields["msgid"] == "":
            continue  # the header, or a block of obsolete (#~) lines
        translations = [v for k, v in fields.items() if k.startswith("msgstr")]
        key = (fields.get("msgctxt"), fields["msgid"], fields.get("msgid_plural"))
        entries.append(Entry(key, translations, fuzzy, block_start))
    return entries


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 1
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    return blocks


def _describe(key: Key) -> str:
    context, msgid, plural = key
    text = f'"{msgid}"' + (f' / "{plural}"' if plural else "")
    return f"{text} (context {context!r})" if context is not None else text


def _copy_checkout(target: Path) -> None:
    """The files git knows of (committed or not, ignored ones left out), as they are now."""
    listed = subprocess.run(  # noqa: S603 - a fixed command
        [GIT, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():  # (a file deleted but not committed yet is listed too)
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def _make_messages(checkout: Path, options: list[str]) -> None:
    """Both domains at once (each writes only its own catalogue): half the wait."""
    env = {**os.environ, "DATABASE_URL": "sqlite://:memory:", "REDIS_URL": "", "DEBUG": "true"}
    runs = {
        domain: subprocess.Popen(  # noqa: S603 - this interpreter, options from the Makefile
            [sys.executable, "manage.py", "makemessages", "-d", domain, "-l", LANGUAGE]
            + ["--no-obsolete", "--add-location=file", "-v0", *options],
            cwd=checkout,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for domain in DOMAINS
    }
    for domain, run in runs.items():
        output, _ = run.communicate()
        if run.returncode:
            raise SystemExit(f"makemessages -d {domain} failed:\n{output}")


def problems(committed: str, extracted: str, name: str) -> list[str]:
    """What is wrong with the committed catalogue `name`, given what extraction made of it."""
    ours = {entry.key: entry for entry in parse_po(committed)}
    found = {entry.key for entry in parse_po(extracted)}
    out = [f"{name}: not in the catalogue: {_describe(key)}" for key in found - ours.keys()]
    out += [
        f"{name}:{ours[key].line}: no longer in the code: {_describe(key)}"
        for key in ours.keys() - found
    ]
    for entry in ours.values():
        if entry.fuzzy:
            out.append(f"{name}:{entry.line}: fuzzy: {_describe(entry.key)}")
        elif not entry.translations or not all(entry.translations):
            out.append(f"{name}:{entry.line}: no Dutch text: {_describe(entry.key)}")
    return out


def main(options: list[str]) -> int:
    catalogues = ROOT / "locale" / LANGUAGE / "LC_MESSAGES"
    with tempfile.TemporaryDirectory(prefix="check-messages-") as temp:
        checkout = Path(temp)
        _copy_checkout(checkout)
        _make_messages(checkout, options)
        found: list[str] = []
        for domain in DOMAINS:
            name = f"locale/{LANGUAGE}/LC_MESSAGES/{domain}.po"
            committed = (catalogues / f"{domain}.po").read_text(encoding="utf-8")
            extracted = (checkout / name).read_text(encoding="utf-8")
            found += problems(committed, extracted, name)
    for problem in found:
        print(problem, file=sys.stderr)  # noqa: T201 - a command-line check reports here
    if found:
        print(  # noqa: T201
            f"{len(found)} translation problem(s): run `make messages`, then write the Dutch "
            "text of every new or fuzzy entry (and remove its fuzzy flag).",
            file=sys.stderr,
        )
        return 1
    print("Translations: the catalogues match the marked strings, all in Dutch.")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
