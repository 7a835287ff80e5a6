"""docker-compose.yml is safe as written (issue 21, item 1).

Docker is not available where the suite runs, so the file is parsed (PyYAML) and its
environment worked out the way `docker compose` does (docker/compose_env.py, also behind
`make check-deploy`).
"""

import importlib.util
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("compose_env", ROOT / "docker" / "compose_env.py")
assert _spec
assert _spec.loader
compose_env = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compose_env)

# Nothing here reads the database, but the suite's session set-up (tests/conftest.py) expects a
# test that does when this file runs alone.
pytestmark = pytest.mark.django_db

APP_SERVICES = ("web", "worker", "beat", "migrate")
LONG_RUNNING = ("proxy", "web", "worker", "beat", "db", "db-replica", "redis")
SECRET_KEYS = re.compile(r"PASSWORD|SECRET|_KEY$|TOKEN", re.IGNORECASE)
INTERPOLATED_ONLY = re.compile(r"^\$\{[A-Z_]+(:?[?][^}]*)?\}$")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return compose_env.load_compose()


@pytest.fixture(scope="module")
def example() -> dict[str, str]:
    return compose_env.example_values()


def _walk_strings(node: Any, path: str = ""):  # noqa: ANN202
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk_strings(value, f"{path}.{key}")
            yield f"{path}.{key}", str(key)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk_strings(value, f"{path}[{index}]")
    elif node is not None:
        yield path, str(node)


def test_every_long_running_service_has_a_healthcheck_and_restarts(compose) -> None:
    services = compose["services"]
    assert set(LONG_RUNNING) <= set(services)
    for name in LONG_RUNNING:
        service = services[name]
        assert service.get("restart") in ("always", "unless-stopped"), name
        healthcheck = service.get("healthcheck") or {}
        assert healthcheck.get("test"), name
        assert not healthcheck.get("disable"), name
    # the one-off migration job does not restart, and the app waits for it
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat"):
        migrate = services[name]["depends_on"]["migrate"]
        assert migrate["condition"] == "service_completed_successfully", name


def test_no_service_loads_demo_data_and_debug_is_off(compose, example) -> None:
    for name, service in compose["services"].items():
        assert "load_demo" not in " ".join(str(v) for v in _walk_strings(service)), name
    for name in APP_SERVICES:
        env = compose_env.service_environment(compose, name, example)
        assert env["DEBUG"] == "false", name


def test_no_secret_is_written_in_the_compose_file(compose) -> None:
    for path, value in _walk_strings(compose):
        key = path.rsplit(".", 1)[-1]
        if SECRET_KEYS.search(key) and value not in ("", key):
            # a secret's value is only ever taken from .env (or blanked for the app)
            assert INTERPOLATED_ONLY.match(value), f"{path} = {value}"
        for userinfo in re.findall(r"://([^@/\s]*)@", value):
            user, _, password = userinfo.partition(":")
            assert password.startswith("${"), f"{path}: {value}"
            assert password.endswith("}"), f"{path}: {value}"
    # and the example env file ships no secret value to copy
    for key, value in compose_env.read_env_file(compose_env.ENV_EXAMPLE).items():
        if compose_env.SECRET_NAME.search(key):
            assert value == "", f".env.example ships a value for {key}"


def test_app_services_read_env_file_and_the_env_file_is_not_committed(compose) -> None:
    for name in APP_SERVICES:
        assert compose["services"][name]["env_file"] == ".env", name
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", ".env"], cwd=ROOT, check=False
    ).returncode
    assert ignored == 0, ".env must be in .gitignore"
    assert ".env" in (ROOT / ".dockerignore").read_text().split(), ".env must not reach the image"


def test_example_env_file_documents_every_variable_the_compose_file_reads(compose) -> None:
    used = set(re.findall(r"\$\{([A-Z_]+)", compose_env.COMPOSE_FILE.read_text()))
    documented = compose_env.read_env_file(compose_env.ENV_EXAMPLE)
    assert used - set(documented) == set()
    # every variable sits in a block that explains it
    for block in compose_env.ENV_EXAMPLE.read_text().split("\n\n"):
        lines = block.strip().splitlines()
        if any("=" in line and not line.startswith("#") for line in lines):
            assert lines[0].startswith("#"), block
    for key in ("SECRET_KEY", "ALLOWED_HOSTS", "ORGANISATION_AGB", "OTP_REQUIRED_ROLES"):
        assert key in documented


def test_app_connects_as_a_role_that_is_not_the_owner_nor_the_superuser(compose, example) -> None:
    superuser = compose["services"]["db"]["environment"]["POSTGRES_USER"]
    for name in ("web", "worker", "beat"):
        env = compose_env.service_environment(compose, name, example)
        user = re.match(r"postgres://([^:]+):", env["DATABASE_URL"])
        assert user, name
        assert user[1] == "buurtzorg_app", name
        assert "DATABASE_OWNER_URL" not in env, name
        # nor can the app's processes read the owner's or the superuser's password
        for secret in (
            "DB_OWNER_PASSWORD",
            "POSTGRES_PASSWORD",
            "DB_REPLICATION_PASSWORD",
            "BACKUP_KEY",
        ):
            assert env.get(secret, "") == "", f"{name} gets {secret}"
        assert example["DB_OWNER_PASSWORD"] not in " ".join(env.values())
    migrate = compose_env.service_environment(compose, "migrate", example)
    assert migrate["DATABASE_OWNER_URL"].startswith("postgres://buurtzorg_owner:")
    assert superuser not in ("buurtzorg_app", "buurtzorg_owner")


def test_the_app_reads_a_streaming_replica_of_db_as_its_own_role(compose, example) -> None:
    services = compose["services"]
    # the app's processes read heavy work from db-replica, as the app's role, not the owner
    for name in ("web", "worker", "worker-batch", "beat"):
        env = compose_env.service_environment(compose, name, example)
        replica = re.match(
            r"postgres://([^:]+):([^@]+)@([^:/]+):5432/buurtzorg$", env["DATABASE_REPLICA_URL"]
        )
        assert replica, name
        assert replica[1] == "buurtzorg_app", name
        assert replica[2] == example["DB_APP_PASSWORD"], name
        assert replica[3] == "db-replica", name
    # db-replica: a standby of db, on the internal network only, with its own volume
    standby = services["db-replica"]
    assert standby["image"] == services["db"]["image"]
    assert standby["networks"] == ["backend"]
    assert not standby.get("ports")
    assert standby["depends_on"]["db"]["condition"] == "service_healthy"
    assert "pgdata-replica:/var/lib/postgresql/data" in standby["volumes"]
    assert "pgdata-replica" in compose["volumes"]
    env = compose_env.service_environment(compose, "db-replica", example)
    assert set(env) == {"DB_REPLICATION_PASSWORD"}  # nothing of the app's or the owner's
    script = (ROOT / "docker" / "postgres" / "replica.sh").read_text()
    assert "pg_basebackup -h db -p 5432 -U buurtzorg_replicator" in script
    assert "-R -X stream" in script
    assert "exec postgres -c hot_standby=on" in script
    # db has the replication role (REPLICATION, nothing more) and caps the WAL kept for it
    init = (ROOT / "docker" / "postgres" / "init" / "20-replication.sh").read_text()
    assert "CREATE ROLE buurtzorg_replicator LOGIN REPLICATION NOSUPERUSER" in init
    assert "host replication buurtzorg_replicator all scram-sha-256" in init
    assert "max_slot_wal_keep_size=10GB" in services["db"]["command"]


def test_a_missing_secret_stops_compose_instead_of_starting_without_one(compose) -> None:
    values = compose_env.example_values()
    values["DB_APP_PASSWORD"] = ""
    with pytest.raises(compose_env.ComposeError, match="set DB_APP_PASSWORD"):
        compose_env.service_environment(compose, "web", values)


def test_only_the_tls_proxy_publishes_ports_and_the_app_trusts_only_it(compose, example) -> None:
    services = compose["services"]
    assert {name for name, s in services.items() if s.get("ports")} == {"proxy"}
    assert services["proxy"]["image"].startswith("caddy:")
    caddyfile = (ROOT / "docker" / "caddy" / "Caddyfile").read_text()
    assert "reverse_proxy web:8000" in caddyfile
    assert "tls {$TLS_MODE:internal}" in caddyfile
    proxy_address = compose_env.interpolate(
        services["proxy"]["networks"]["edge"]["ipv4_address"], example
    )
    env = compose_env.service_environment(compose, "web", example)
    assert env["TRUSTED_PROXIES"] == proxy_address
    assert compose["networks"]["backend"]["internal"] is True
    assert services["db"]["networks"] == ["backend"]


def test_static_files_are_collected_at_build_with_debug_off() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    collect = next(line for line in dockerfile.splitlines() if "collectstatic" in line)
    previous = dockerfile.split(collect)[0].splitlines()[-1]
    assert "DEBUG=false" in previous + collect
    assert "DEBUG=true" not in dockerfile


def test_interpolation_follows_compose() -> None:
    values = {"SET": "x", "EMPTY": ""}
    assert compose_env.interpolate("$$HOME ${SET} $SET", values) == "$HOME x x"
    assert compose_env.interpolate("${EMPTY:-d} ${EMPTY-d} ${NONE-d}", values) == "d  d"
    with pytest.raises(compose_env.ComposeError, match="EMPTY: needed"):
        compose_env.interpolate("${EMPTY:?needed}", values)


def test_make_check_deploy_passes_in_the_compose_environment() -> None:
    result = subprocess.run(
        ["make", "-s", "check-deploy"], cwd=ROOT, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
