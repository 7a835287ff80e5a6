"""gunicorn's settings (read from the working directory by `gunicorn buurtzorg.wsgi:...`).

The image, docker-compose and `make loadtest` all start gunicorn with this file, so the load
test measures the worker model production runs.

Worker model: sync workers, one request at a time per process, WEB_CONCURRENCY of them (4 by
default, for a 2-core server that also runs PostgreSQL). Why not threads (gthread), for pages
that spend a third of their time waiting for PostgreSQL:
- the threads of one process share one GIL: two pages rendering at once in a process each get
  half a core, and a thread whose query has returned waits for the GIL (up to the 5 ms switch
  interval) after each of the page's 10-40 queries while another thread computes;
- a gthread worker keeps its keep-alive connections, so every later request on a connection
  goes to the worker that accepted it, busy or not; sync workers take each new connection
  from the one shared queue, so the next request goes to whichever worker is free first.
A worker waiting for PostgreSQL leaves its core to another worker (or to PostgreSQL): four
processes keep two cores busy. Sync workers close the connection after each answer (no
keep-alive): a new TCP connection per request from the proxy in front, a fraction of a
millisecond on a local network. Measured side by side, at the same offered load and under the
same background load (issue 22; a machine busy with other work, so only the ratio means
anything): p95 3.5 s with 4 sync workers, 5.9 s with 3 gthread workers of 4 threads.

Request line and headers are capped at the HTTP parser (gunicorn's defaults, said here so
they are not loosened by accident); the body is capped by the app before it reads it
(buurtzorg.bodylimit, settings.MAX_REQUEST_BODY_BYTES), since gunicorn has no body limit.
"""

import os

workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
worker_class = "sync"

limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
