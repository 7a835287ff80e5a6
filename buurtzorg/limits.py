"""A memory ceiling for heavy work inside a Celery worker (PDF rendering).

Celery's own limits are a time limit per task and `worker_max_memory_per_child`, which only
replaces a worker child *after* a task that grew too big. A runaway WeasyPrint layout (a
document far larger than expected) would first take the machine's memory. Inside the block
below the process's address space may grow by at most `extra_mb`; beyond that an allocation
fails with MemoryError, the task fails (and is reported failed), and the worker lives on.

Only in a real worker process: with eager tasks the "worker" is the web or test process,
whose memory is not ours to cap.
"""

import os
import resource
from collections.abc import Iterator
from contextlib import contextmanager

from celery import current_task


def _address_space_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


@contextmanager
def address_space_limit(extra_mb: int) -> Iterator[None]:
    """Let this process's address space grow by at most `extra_mb` MiB within the block."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = _address_space_bytes() + extra_mb * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft != resource.RLIM_INFINITY:
        limit = min(limit, soft)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@contextmanager
def worker_memory_limit(extra_mb: int) -> Iterator[None]:
    """`address_space_limit` when running as a task in a real Celery worker, else nothing."""
    request = getattr(current_task, "request", None)  # (a proxy: None outside any task)
    in_worker = request is not None and not getattr(request, "is_eager", True)
    if not in_worker or not os.path.exists("/proc/self/statm"):
        yield
        return
    with address_space_limit(extra_mb):
        yield
