"""`make run`'s embedded default (no DATABASE_URL: SQLite, eager Celery) serves the pages a
nurse and a coach open first.

The rest of the suite runs on PostgreSQL, so code written for it alone (DISTINCT ON, statements
compiled once with PostgreSQL's parameters) broke `make run` unseen: My day and the Messages
page answered 500 on SQLite. This runs migrate and load_demo on a scratch SQLite file in a
subprocess, as `make run` does, then opens the pages through the test client.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PAGES = r"""
import re
import django
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()
from django.contrib.auth import get_user_model
from django.test import Client

failed = []
for username, paths in {
    "nurse": ["/scheduling/", "/scheduling/today/clients/", "/clients/", "/handover/",
              "/coaching/spaces/", "/scheduling/planning/"],
    "coach": ["/", "/coaching/spaces/"],
}.items():
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    for path in paths:
        response = client.get(path, follow=True)
        if response.status_code != 200:
            failed.append((username, path, response.status_code))
    if username == "nurse":
        body = client.get("/clients/").content.decode()
        record = re.search(r'href="(/clients/[0-9a-f-]{36}/)"', body)
        if record is None:
            failed.append((username, "a client's page in /clients/", "no link"))
        else:
            response = client.get(record.group(1))
            if response.status_code != 200:
                failed.append((username, record.group(1), response.status_code))
print("FAILED", failed)
"""


def test_make_runs_sqlite_serves_the_first_pages(tmp_path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "",
        "DJANGO_SETTINGS_MODULE": "buurtzorg.settings.base",
    }
    env.pop("CACHE_URL", None)
    for command in (["migrate", "--noinput", "-v0"], ["load_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    result = subprocess.run(
        [sys.executable, "-c", PAGES], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "FAILED []" in result.stdout, result.stdout[-3000:] + result.stderr[-3000:]
