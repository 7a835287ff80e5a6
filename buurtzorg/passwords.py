"""A password rule on top of Django's: no organisation words, no published passwords, no
common word dressed up with digits, and no long run of one or two characters.

Django's validators (AUTH_PASSWORD_VALIDATORS) refuse a password that *is* a common one, but
accepted `buurtzorg2026`, `aaaaaaaaaaaa` and the demo accounts' published password. This one
looks at the password's letters and digits without separators or case:

- it may not contain an organisation word (`buurtzorg`; more in OPTIONS `words`),
- it may not be, or contain, a password that has been published (the demo password),
- its letters alone may not be a common password (`Password-2026!` is `password`),
- it needs at least `min_unique` (default 5) different characters.

The demo data and the tests set passwords with `set_password`, which runs no validator, so
the published demo password keeps working for `make run` while no one can choose it.

Passwords are stored with Argon2id (`Argon2idPasswordHasher`, first in PASSWORD_HASHERS); a
hash made earlier with PBKDF2 is replaced by an Argon2id one the next time its owner logs in
(Django re-encodes a hash whose hasher or parameters are not the preferred ones).
"""

import re
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.hashers import Argon2PasswordHasher
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ORGANISATION_WORDS = ("buurtzorg",)
PUBLISHED_PASSWORDS = ("demo-password-2026",)

PASSWORD_ORGANISATION_WORD = gettext_lazy(
    "Your password may not contain the name of the organisation."
)
PASSWORD_PUBLISHED = gettext_lazy("This password has been published; choose another.")
PASSWORD_COMMON_WORD = gettext_lazy(
    "This password is a common password with digits or symbols added."
)
PASSWORD_TOO_UNIFORM = gettext_lazy(
    "Your password must contain at least %(min_unique)d different characters."
)


def _plain(text: str) -> str:
    """Lower-case letters and digits only: `Buurt-Zorg 2026!` becomes `buurtzorg2026`."""
    return re.sub(r"[^0-9a-z]", "", text.lower())


class OrganisationPasswordValidator:
    def __init__(
        self,
        words: Iterable[str] = ORGANISATION_WORDS,
        published: Iterable[str] = PUBLISHED_PASSWORDS,
        min_unique: int = 5,
    ) -> None:
        self.words = [_plain(word) for word in words]
        self.published = [_plain(password) for password in published]
        self.min_unique = min_unique
        self.common = CommonPasswordValidator().passwords

    def validate(self, password: str, user: Any = None) -> None:  # noqa: ANN401 - any user
        plain = _plain(password)
        if any(word in plain for word in self.words):
            raise ValidationError(PASSWORD_ORGANISATION_WORD, code="password_organisation_word")
        if any(known in plain for known in self.published):
            raise ValidationError(PASSWORD_PUBLISHED, code="password_published")
        letters = re.sub(r"[^a-z]", "", plain)
        if letters and letters != plain and letters in self.common:
            raise ValidationError(PASSWORD_COMMON_WORD, code="password_common_word")
        if len(set(password.lower())) < self.min_unique:
            raise ValidationError(
                PASSWORD_TOO_UNIFORM,
                code="password_too_uniform",
                params={"min_unique": self.min_unique},
            )

    def get_help_text(self) -> str:
        return _(
            "Your password may not contain the organisation's name or a published password, "
            "and needs at least %(min_unique)d different characters."
        ) % {"min_unique": self.min_unique}


class Argon2idPasswordHasher(Argon2PasswordHasher):
    """Argon2id (argon2-cffi), memory-hard, with parameters for a web server of a few cores.

    Django's own Argon2 defaults (100 MiB, 2 passes, 8 lanes) cost as much CPU per login as
    its PBKDF2 (1,000,000 iterations, about 0.3 s of a core here), and 100 MiB per login held
    by each of a server's request threads at once. OWASP's password storage minimums are
    Argon2id with 19 MiB and 2 passes, or PBKDF2-SHA256 with 600,000 iterations. Django's PBKDF2
    default is 1.67 times that minimum, so we take 1.68 times the Argon2id minimum's memory x
    passes (memory traffic, what an attacker pays per guess): 32 MiB and 2 passes, at a fifth
    of PBKDF2's CPU or less (about 40-60 ms of a core here; 12 logins at once hold 384 MiB).
    One lane: a login gets one core at most while other requests are served, more lanes only
    add threads. The algorithm name stays `argon2`, so a later change of these figures
    re-hashes each password at its owner's next login (Argon2PasswordHasher.must_update).
    """

    time_cost = 2
    memory_cost = 32 * 1024  # KiB
    parallelism = 1
