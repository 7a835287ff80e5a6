FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    libharfbuzz-subset0 fonts-dejavu-core postgresql-client gettext \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
RUN pip install --no-cache-dir uv && uv pip install --system --no-cache -r pyproject.toml
COPY . .
# Static files as production serves them: collected with DEBUG off, so WhiteNoise's manifest
# storage gives every file a content hash in its name (cached for a year) and a gzip and
# brotli copy. The settings need a SECRET_KEY to load; this one exists only in this build step
# (the running app gets its own from .env). No database or Redis is used here.
RUN DEBUG=false SECRET_KEY=collectstatic-build-step-only DATABASE_URL=sqlite://:memory: REDIS_URL= \
    python manage.py collectstatic --noinput \
 && cd locale && DEBUG=false SECRET_KEY=compilemessages-build-step-only \
    DATABASE_URL=sqlite://:memory: REDIS_URL= python ../manage.py compilemessages -v0
# The app's files belong to root (it cannot change its own code); it writes only to /data
# (uploads and beat's schedule, volumes in docker-compose.yml).
RUN useradd --system --uid 1000 app && mkdir -p /data/media /data/beat \
 && chown -R app /data
USER app
EXPOSE 8000
CMD ["gunicorn", "buurtzorg.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
