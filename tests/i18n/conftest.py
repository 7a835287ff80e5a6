"""The Dutch catalogue is compiled before these tests when its .mo is missing or stale.

`make test` compiles every catalogue first (`make compilemessages`); this keeps a plain
`pytest tests/i18n` honest too. Django caches catalogues per process, so the cache is cleared
after compiling.
"""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils.translation import trans_real

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogues() -> None:
    msgfmt = shutil.which("msgfmt")
    compiled = False
    for po in LOCALE.glob("*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        if msgfmt is None:
            pytest.fail("gettext's msgfmt is missing: run `make sysdeps` (or make test)")
        subprocess.run([msgfmt, "--check-format", "-o", str(mo), str(po)], check=True)  # noqa: S603
        compiled = True
    if compiled:
        trans_real._translations = {}
        trans_real._active = trans_real.Local()
