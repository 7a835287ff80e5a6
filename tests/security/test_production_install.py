"""A production install never has a known password: no demo data there (issue 21, item 1)."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError

from teams.management.commands.load_demo import DEMO_REFUSED_WITHOUT_DEBUG
from teams.models import Team, User

COMPOSE_FILE = Path(django_settings.BASE_DIR) / "docker-compose.yml"


@pytest.mark.django_db
def test_load_demo_refuses_with_debug_off_and_writes_nothing(settings) -> None:
    # given a production-like process
    settings.DEBUG = False
    # when / then
    with pytest.raises(CommandError, match="Refusing to load demo data with DEBUG off") as exc:
        call_command("load_demo")
    assert str(exc.value) == str(DEMO_REFUSED_WITHOUT_DEBUG)
    assert "createsuperuser" in str(exc.value)
    assert not User.objects.exists()
    assert not Team.objects.exists()


def _commands(service: dict) -> str:
    parts = []
    for key in ("command", "entrypoint"):
        value = service.get(key) or []
        parts.extend([value] if isinstance(value, str) else [str(item) for item in value])
    return " ".join(parts)


def test_no_compose_service_loads_demo_data() -> None:
    # given the documented production shape
    compose = yaml.safe_load(COMPOSE_FILE.read_text())
    services = compose["services"]
    assert {"web", "worker", "beat", "migrate"} <= set(services)
    # then no service runs load_demo, and the app runs with DEBUG off
    for name, service in services.items():
        assert "load_demo" not in _commands(service), name
    for name in ("web", "worker", "beat", "migrate"):
        assert services[name]["environment"]["DEBUG"] == "false", name
    assert "migrate" in _commands(services["migrate"])
