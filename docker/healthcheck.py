"""Container healthchecks (docker-compose.yml): `python docker/healthcheck.py web|beat`.

web   GET /healthz on gunicorn (database and Redis reachable), as the proxy would send it: with
      one of ALLOWED_HOSTS as Host and X-Forwarded-Proto https, so neither the host check nor
      the HTTPS redirect answers instead of the view.
beat  the schedule file was written lately: beat saves it at least every few minutes while it
      runs (a task is due every 10 minutes), so an old file means a stuck beat.
(The worker's check is `celery inspect ping` on its own node, in the compose file.)

Only the standard library: it runs every 30 seconds and must not start Django.
"""

import glob
import os
import sys
import time
import urllib.request

BEAT_SCHEDULE = os.environ.get("BEAT_SCHEDULE_FILE", "/data/beat/celerybeat-schedule")
BEAT_STALE_SECONDS = 20 * 60


def check_web() -> bool:
    hosts = [h.strip().lstrip(".") for h in os.environ.get("ALLOWED_HOSTS", "").split(",")]
    host = next((h for h in hosts if h and h != "*"), "localhost")
    request = urllib.request.Request(  # noqa: S310 - a fixed http URL on this container
        "http://127.0.0.1:8000/healthz",
        headers={"Host": host, "X-Forwarded-Proto": "https"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
        return response.status == 200


def check_beat() -> bool:
    files = glob.glob(BEAT_SCHEDULE + "*")
    return bool(files) and time.time() - max(os.path.getmtime(f) for f in files) < (
        BEAT_STALE_SECONDS
    )


if __name__ == "__main__":
    checks = {"web": check_web, "beat": check_beat}
    try:
        healthy = checks[sys.argv[1]]()
    except Exception as exc:  # noqa: BLE001 - any failure is "unhealthy"
        print(f"unhealthy: {exc}")  # noqa: T201
        healthy = False
    sys.exit(0 if healthy else 1)
