"""The memory ceiling used around PDF rendering in Celery workers (buurtzorg.limits)."""

import resource
import subprocess
import sys
import textwrap

import pytest
from celery import shared_task

from buurtzorg.limits import worker_memory_limit

PROBE = textwrap.dedent(
    """
    from buurtzorg.limits import address_space_limit

    with address_space_limit(64):
        try:
            big = bytearray(512 * 1024 * 1024)
        except MemoryError:
            print("refused")
        else:
            print("allowed")
    big = bytearray(512 * 1024 * 1024)  # the ceiling is lifted after the block
    print("after", len(big) // (1024 * 1024))
    """
)


def test_allocation_beyond_the_ceiling_fails_and_the_ceiling_is_lifted_after() -> None:
    # In a child process: the limit is per process, and must not touch the test runner's.
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.split() == ["refused", "after", "512"]


def _limit_inside() -> tuple[int, int]:
    with worker_memory_limit(1):
        assert bytearray(16 * 1024 * 1024)
        return resource.getrlimit(resource.RLIMIT_AS)


@shared_task
def limit_inside_task() -> tuple[int, int]:
    return _limit_inside()


@pytest.mark.parametrize("how", ["no task", "eager task"])
def test_outside_a_real_worker_nothing_is_capped(how) -> None:
    before = resource.getrlimit(resource.RLIMIT_AS)
    inside = _limit_inside() if how == "no task" else tuple(limit_inside_task.apply().get())
    assert inside == before == resource.getrlimit(resource.RLIMIT_AS)
