"""`generate_scale` is a benchmark tool: only `bench.settings` installs the app that has it."""

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from bench.management.commands.generate_scale import Command as GenerateScale
from clients.models import Client
from teams.models import Team

ROOT = Path(__file__).resolve().parents[2]


def test_production_settings_have_no_generate_scale() -> None:
    # the test settings install exactly production's apps
    with pytest.raises(CommandError, match="Unknown command: 'generate_scale'"):
        call_command("generate_scale", teams=1)


def test_bench_settings_install_the_command() -> None:
    # given the settings the Makefile's bench targets use
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    # when
    result = subprocess.run(
        [sys.executable, "manage.py", "help", "generate_scale"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # then
    assert result.returncode == 0, result.stderr
    assert "--teams" in result.stdout


@pytest.mark.django_db
def test_command_fills_the_database_when_bench_is_installed() -> None:
    # given the bench app's command (run as an object: installing the app in this process
    # would populate the app registry again and patch every model's queries a second time)
    out = io.StringIO()
    # when
    call_command(GenerateScale(), teams=1, seed=7, today=dt.date(2026, 11, 25), stdout=out)
    # then
    assert "Done:" in out.getvalue()
    assert Team.objects.filter(name__startswith="Scale ").count() == 1
    # My day's key-info line has something to show (issue 18)
    assert Client.objects.exclude(key_safe_note="").exists()
    assert Client.objects.exclude(allergies="").exists()
    assert Client.objects.exclude(alarm_note="").exists()
