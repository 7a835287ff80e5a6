"""The environment docker-compose.yml gives a service, worked out without Docker.

`make check-deploy` runs `manage.py check --deploy` in exactly that environment: the web
service's `env_file` and `environment`, with the `${...}` in the compose file filled in from
the same env file, as `docker compose` does. By default the env file is the committed
.env.example, with its empty secrets generated for the run, so the check proves the shape we
ship; `--env-file .env` checks a real install's settings (nothing is printed from it).

    python docker/compose_env.py check-deploy [--env-file .env] [--service web]

Only the standard library and PyYAML (a dependency of drf-spectacular): tests import it too.
"""

import argparse
import os
import re
import secrets
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
# Variables that hold a secret: generated for the check when the env file leaves them empty.
SECRET_NAME = re.compile(r"(^SECRET_KEY$|PASSWORD$)")
# What a process needs from the calling shell to start at all; nothing that configures the app.
PASSED_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")
_VARIABLE = re.compile(
    r"\$(?:(?P<escaped>\$)"
    r"|\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}"
    r"|(?P<plain>[A-Za-z_][A-Za-z0-9_]*))"
)


class ComposeError(ValueError):
    """A `${VAR:?message}` whose variable is missing, as `docker compose` would refuse."""


def interpolate(value: str, variables: Mapping[str, str]) -> str:
    """Compose's interpolation: $$, $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err}."""

    def replace(match: re.Match[str]) -> str:
        if match["escaped"]:
            return "$"
        name = match["braced"] or match["plain"]
        value = variables.get(name)
        op, arg = match["op"], match["arg"] or ""
        missing = value is None or (value == "" and op is not None and op.startswith(":"))
        if op in (":-", "-") and missing:
            return interpolate(arg, variables)
        if op in (":?", "?") and missing:
            raise ComposeError(f"{name}: {arg or 'required'}")
        return value or ""

    return _VARIABLE.sub(replace, value)


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines; # comments and blank lines skipped, one pair of quotes taken off."""
    values: dict[str, str] = {}
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def load_compose(path: Path = COMPOSE_FILE) -> dict[str, Any]:
    compose = yaml.safe_load(path.read_text())
    assert isinstance(compose, dict)
    return compose


def service_environment(
    compose: Mapping[str, Any], service: str, env_file_values: Mapping[str, str]
) -> dict[str, str]:
    """The environment `service` starts with: its env_file, then `environment` over it.

    `env_file_values` stands for `.env`, both as the env_file and as the source of the
    compose file's `${...}` (compose reads the project's .env for those)."""
    definition = compose["services"][service]
    env: dict[str, str] = {}
    env_files = definition.get("env_file") or []
    for name in [env_files] if isinstance(env_files, str) else env_files:
        if name != ".env":
            raise ComposeError(f"{service}: unexpected env_file {name}")
        env.update(env_file_values)
    environment = definition.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.partition("=")[::2] for item in environment)
    for key, value in environment.items():
        env[key] = interpolate("" if value is None else str(value), env_file_values)
    return env


def example_values(path: Path = ENV_EXAMPLE) -> dict[str, str]:
    """The committed example's values, its empty secrets filled with fresh random ones."""
    values = read_env_file(path)
    for key, value in values.items():
        if SECRET_NAME.search(key) and not value:
            values[key] = secrets.token_urlsafe(48)
    return values


def check_deploy(env_file: Path | None, service: str) -> int:
    values = example_values() if env_file is None else read_env_file(env_file)
    env = service_environment(load_compose(), service, values)
    env = {**{k: os.environ[k] for k in PASSED_THROUGH if k in os.environ}, **env}
    command = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode  # noqa: S603


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["check-deploy"])
    parser.add_argument("--env-file", type=Path, default=None)
    parser.add_argument("--service", default="web")
    args = parser.parse_args()
    return check_deploy(args.env_file, args.service)


if __name__ == "__main__":
    sys.exit(main())
