"""Dutch personal names the way Dutch records hold them (issue 15), for clients and staff.

A Dutch name has voorletters (initials, "J.H."), a roepnaam (the first name she is called by),
a tussenvoegsel (name prefix: "de", "van den", "'t") and an achternaam (surname) *without* the
prefix. Lists sort on the achternaam, so "de Jong" files under J; lists and headings show
"Jan de Jong" (`display_name`), letters, invoices and declarations "J.H. de Jong"
(`formal_name`). Geslacht (sex) uses Vektis code list COD046, which the insurer declarations
carry.

The helpers here are pure functions: the models, the forms, the demo loaders and the data
migrations that split existing surnames (clients 0004, teams 0003) all use the same ones.
"""

import re
from typing import Any

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

INITIALS_MAX_LENGTH = 20
NAME_PREFIX_MAX_LENGTH = 20

INITIALS_INVALID = _('Initials are letters, each followed by a dot, e.g. "J.H." or "Th.".')
NAME_PREFIX_INVALID = _(
    'A name prefix (tussenvoegsel) holds only letters, spaces and apostrophes, e.g. "van den" '
    'or "\'t".'
)

# Each initial is one to three letters ("J.", "Th.", "Chr.", "IJ.") followed by a dot.
INITIALS_REGEX = r"^(?:[^\W\d_]{1,3}\.)+$"
# Words of letters (an apostrophe may start or end one: "'t", "d'"), one space between words.
NAME_PREFIX_REGEX = r"^['’]?[^\W\d_]+['’]?(?: ['’]?[^\W\d_]+['’]?)*$"

initials_validator = RegexValidator(INITIALS_REGEX, INITIALS_INVALID, code="invalid_initials")
name_prefix_validator = RegexValidator(
    NAME_PREFIX_REGEX, NAME_PREFIX_INVALID, code="invalid_name_prefix"
)


class Sex(models.TextChoices):
    """Geslacht, coded as Vektis COD046 (what a declaration to an insurer carries)."""

    UNKNOWN = "0", _("Unknown")
    MALE = "1", _("Male")
    FEMALE = "2", _("Female")
    NOT_SPECIFIED = "9", _("Not specified")


def initials_check() -> Q:
    """The database's backstop for initials: blank, or groups of 1-3 characters that are not
    digits, spaces or dots, each closed by a dot. (The form's validator is the stricter
    "letters only"; PostgreSQL's and SQLite's regex dialects agree on this simpler one.)"""
    return Q(initials="") | Q(initials__regex=r"^([^0-9 .]{1,3}\.)+$")


def name_prefix_check() -> Q:
    """The database's backstop for a prefix: no digits or dots, no leading or trailing space."""
    return Q(name_prefix="") | Q(name_prefix__regex=r"^[^0-9. ]([^0-9.]*[^0-9. ])?$")


# Tussenvoegsels as the Dutch population register writes them (the common ones of GBA table 36).
# Matched case-sensitively as written and with a capital first letter ("De Jong" when no first
# name precedes it); the longest match wins, so "van den Berg" is "van den" + "Berg".
DUTCH_NAME_PREFIXES: tuple[str, ...] = (
    "van",
    "van de",
    "van der",
    "van den",
    "van het",
    "van 't",
    "van de la",
    "de",
    "den",
    "der",
    "des",
    "het",
    "'t",
    "te",
    "ter",
    "ten",
    "in",
    "in de",
    "in den",
    "in der",
    "in het",
    "in 't",
    "op",
    "op de",
    "op den",
    "op der",
    "op het",
    "op 't",
    "op ten",
    "uit",
    "uit de",
    "uit den",
    "uit het",
    "uit 't",
    "uit te",
    "uijt de",
    "aan",
    "aan de",
    "aan den",
    "aan der",
    "aan het",
    "aan 't",
    "bij",
    "bij de",
    "bij den",
    "bij het",
    "bij 't",
    "onder",
    "onder de",
    "onder den",
    "onder het",
    "over",
    "over de",
    "over den",
    "over het",
    "tot",
    "tot de",
    "tot den",
    "voor",
    "voor de",
    "voor den",
    "voor in 't",
    "d'",
    "l'",
    "la",
    "le",
    "les",
    "du",
    "von",
    "von der",
    "von dem",
    "zu",
    "zum",
    "zur",
)


def _prefix_alternatives() -> list[str]:
    written = set(DUTCH_NAME_PREFIXES)
    written |= {p[:1].upper() + p[1:] for p in DUTCH_NAME_PREFIXES}
    return sorted(written, key=len, reverse=True)


_SPLIT_RE = re.compile(
    r"^(?P<prefix>" + "|".join(re.escape(p) for p in _prefix_alternatives()) + r") (?P<rest>\S.*)$"
)


def split_name_prefix(last_name: str) -> tuple[str, str]:
    """("de Jong") -> ("de", "Jong"); ("van den Berg") -> ("van den", "Berg"); no prefix ->
    ("", last_name). Lossless: it splits only where the name is exactly prefix + one space +
    the rest, so `join_name_prefix` gives back what was there, character for character."""
    match = _SPLIT_RE.match(last_name or "")
    if match is None or len(match["prefix"]) > NAME_PREFIX_MAX_LENGTH:
        return "", last_name
    return match["prefix"], match["rest"]


def join_name_prefix(name_prefix: str, last_name: str) -> str:
    """The surname as one string again ("de" + "Jong" -> "de Jong"): the inverse of the split."""
    return f"{name_prefix} {last_name}" if name_prefix else last_name


def initials_from_first_name(first_name: str) -> str:
    """Voorletters from the first name(s): "Jan" -> "J.", "Jan Hendrik" -> "J.H.",
    "Jan-Willem" -> "J.W.", "IJsbrand" -> "IJ." (the Dutch IJ is one letter). Words that do
    not start with a letter give none, so "[erased]" has no initials."""
    letters = []
    for word in re.split(r"[\s\-]+", first_name or ""):
        if not word or not word[0].isalpha():
            continue
        letters.append("IJ." if word[:2].upper() == "IJ" else f"{word[0].upper()}.")
    initials = ""
    for letter in letters:
        if len(initials) + len(letter) > INITIALS_MAX_LENGTH:
            break
        initials += letter
    return initials


def normalise_initials(value: str, *, first_name: str = "") -> str:
    """ "J. H." -> "J.H."; empty -> the initials of `first_name` (what the form promises)."""
    compact = "".join((value or "").split())
    return compact or initials_from_first_name(first_name)


def normalise_name_prefix(value: str) -> str:
    """ " van  den " -> "van den" (one space between words, none around)."""
    return " ".join((value or "").split())


def name_display(first_name: str, name_prefix: str, last_name: str) -> str:
    """ "Jan de Jong": roepnaam, tussenvoegsel, achternaam (lists and headings)."""
    return " ".join(part for part in (first_name, name_prefix, last_name) if part)


def name_formal(initials: str, name_prefix: str, last_name: str) -> str:
    """ "J.H. de Jong": voorletters, tussenvoegsel, achternaam (letters, invoices, declarations)."""
    return " ".join(part for part in (initials, name_prefix, last_name) if part)


def name_sort(first_name: str, name_prefix: str, last_name: str) -> str:
    """ "Jong, Jan de": the achternaam first, as a list sorted on it shows the name."""
    given = " ".join(part for part in (first_name, name_prefix) if part)
    return f"{last_name}, {given}" if given and last_name else last_name or given


# Every list of people orders on these (then a unique key): "de Jong" under J.
NAME_ORDER = ("last_name", "first_name")


class DutchNameMixin:
    """`display_name`, `formal_name` and `sort_name` for a model with `first_name`,
    `initials`, `name_prefix` and `last_name` (clients.Client and teams.User)."""

    first_name: str
    initials: str
    name_prefix: str
    last_name: str

    @property
    def display_name(self) -> str:
        return name_display(self.first_name, self.name_prefix, self.last_name)

    @property
    def formal_name(self) -> str:
        return name_formal(
            self.initials or initials_from_first_name(self.first_name),
            self.name_prefix,
            self.last_name,
        )

    @property
    def sort_name(self) -> str:
        return name_sort(self.first_name, self.name_prefix, self.last_name)


# --- data migrations (clients 0004, teams 0003) --------------------------------------------


def names_split_existing(model: Any, *, batch_size: int = 2000) -> int:
    """Forward data migration: split a leading tussenvoegsel out of `last_name` into
    `name_prefix` and derive `initials` from `first_name` where they are blank. Rows that
    already carry a prefix are left alone, so running it twice changes nothing. Returns how
    many rows changed. `model` is the migration's historical model (or the real one)."""
    changed = []
    total = 0
    rows = model._default_manager.order_by("pk").only(
        "pk", "first_name", "last_name", "name_prefix", "initials"
    )
    for row in rows.iterator(chunk_size=batch_size):
        dirty = False
        if not row.name_prefix:
            prefix, rest = split_name_prefix(row.last_name)
            if prefix:
                row.name_prefix, row.last_name, dirty = prefix, rest, True
        if not row.initials:
            initials = initials_from_first_name(row.first_name)
            if initials:
                row.initials, dirty = initials, True
        if dirty:
            changed.append(row)
        if len(changed) >= batch_size:
            model._default_manager.bulk_update(changed, ["name_prefix", "last_name", "initials"])
            total += len(changed)
            changed = []
    if changed:
        model._default_manager.bulk_update(changed, ["name_prefix", "last_name", "initials"])
        total += len(changed)
    return total


def names_join_existing(model: Any, *, batch_size: int = 2000) -> int:
    """Reverse data migration: put the tussenvoegsel back in front of `last_name` ("de" +
    "Jong" -> "de Jong"), the shape the earlier schema held. Initials and sex go with their
    columns when the schema step is reversed."""
    changed = []
    total = 0
    rows = (
        model._default_manager.exclude(name_prefix="")
        .order_by("pk")
        .only("pk", "last_name", "name_prefix")
    )
    for row in rows.iterator(chunk_size=batch_size):
        row.last_name = join_name_prefix(row.name_prefix, row.last_name)
        row.name_prefix = ""
        changed.append(row)
        if len(changed) >= batch_size:
            model._default_manager.bulk_update(changed, ["name_prefix", "last_name"])
            total += len(changed)
            changed = []
    if changed:
        model._default_manager.bulk_update(changed, ["name_prefix", "last_name"])
        total += len(changed)
    return total
