"""Fixtures of other apps the privacy tests use (a client with every kind of data)."""

from tests.medication.conftest import med  # noqa: F401 - a fixture, found by name
