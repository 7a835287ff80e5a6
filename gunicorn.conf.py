"""gunicorn's settings (read from the working directory by `gunicorn buurtzorg.wsgi:...`).

Request line and headers are capped at the HTTP parser (gunicorn's defaults, said here so
they are not loosened by accident); the body is capped by the app before it reads it
(buurtzorg.bodylimit, settings.MAX_REQUEST_BODY_BYTES), since gunicorn has no body limit.
"""

limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
