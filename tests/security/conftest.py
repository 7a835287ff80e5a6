"""Capture every application log record of the whole run, and every personal detail the
tests create, so the log scan (test_log_scan.py and the session-end check below) can
prove that logs carry no BSN, client name, session key or API token.

Signals are fine here: this is test instrumentation, not application logic.
"""

import logging

import pytest
from django.db.models.signals import post_save

CAPTURED: list[str] = []
SECRETS: dict[str, str] = {}  # secret text -> what it is


def _capture(record: logging.LogRecord) -> None:
    try:
        text = record.getMessage()
    except Exception:  # noqa: BLE001 - a bad format string is still a log line
        text = str(record.msg)
    if record.exc_info:
        text += "\n" + logging.Formatter().formatException(record.exc_info)
    CAPTURED.append(f"{record.name}: {text}")


_call_handlers = logging.Logger.callHandlers


def _capturing_call_handlers(self: logging.Logger, record: logging.LogRecord) -> None:
    """Every record a logger lets through, whatever handlers a later dictConfig installs."""
    _capture(record)
    _call_handlers(self, record)


def _remember_client(sender: type, instance: object, **kwargs: object) -> None:
    SECRETS[instance.bsn] = "BSN"
    SECRETS[f"{instance.first_name} {instance.last_name}"] = "client name"


def _remember_session(sender: type, instance: object, **kwargs: object) -> None:
    SECRETS[instance.session_key] = "session key"


def _remember_token(sender: type, instance: object, **kwargs: object) -> None:
    SECRETS[instance.key] = "API token"


def pytest_configure(config: pytest.Config) -> None:
    # Patched on the class (not a root handler): Django's and Celery's logging set-up replace
    # root handlers during the run.
    logging.Logger.callHandlers = _capturing_call_handlers
    post_save.connect(_remember_client, sender="clients.Client", weak=False)
    post_save.connect(_remember_session, sender="sessions.Session", weak=False)
    post_save.connect(_remember_token, sender="authtoken.Token", weak=False)


def log_leaks() -> list[str]:
    """Log lines that contain a personal detail or secret created during the run."""
    leaks = []
    for line in CAPTURED:
        for secret, kind in SECRETS.items():
            if secret and len(secret) >= 6 and secret in line:
                leaks.append(f"{kind} in log: {line[:300]}")
    return leaks


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """The whole run's scan, whatever order the tests ran in: fail the run on any leak."""
    leaks = log_leaks()
    if leaks:
        print("\nPersonal data found in application logs:\n" + "\n".join(leaks[:20]))  # noqa: T201
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
