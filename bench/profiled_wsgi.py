"""The app's WSGI application, profiled per page when `make pagecost` asks (PAGECOST_PROFILE=1).

bench/pagecost.py serves this module through gunicorn instead of `buurtzorg.wsgi` only in
profile mode: a request carrying the header `X-Pagecost-Profile: <name>` runs under cProfile,
counting the CPU time of the thread that serves it, and the profile of all requests of that
name so far is written to `$PAGECOST_PROFILE_DIR/<name>.prof` after each one. Other requests
run as they would. The profiler's own cost makes these runs unfit for timing; bench/pagecost.py
measures CPU in a separate run without it.
"""

import cProfile
import os
import re
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from buurtzorg.wsgi import application as app

PROFILE_DIR = Path(os.environ.get("PAGECOST_PROFILE_DIR", "bench/data/profiles"))
NAME = re.compile(r"[a-z0-9-]{1,60}")
_profiles: dict[str, cProfile.Profile] = {}


def application(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
    name = environ.get("HTTP_X_PAGECOST_PROFILE", "")
    if not NAME.fullmatch(name):
        return app(environ, start_response)
    # CPU time of this thread (the one serving the request), not wall time: waiting for
    # PostgreSQL or Redis is not the worker's work
    profile = _profiles.setdefault(name, cProfile.Profile(time.thread_time))
    profile.enable()
    try:
        # the body is built inside the call (no streaming pages are profiled); join it so its
        # iteration is counted too
        response = app(environ, start_response)
        body = [b"".join(response)]
        if hasattr(response, "close"):
            response.close()
    finally:
        profile.disable()
    PROFILE_DIR.mkdir(parents=True, exist_ok=True)
    profile.dump_stats(PROFILE_DIR / f"{name}.prof")
    return body
