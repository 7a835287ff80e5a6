"""Settings, read from the environment (django-environ).

Embedded mode: with no DATABASE_URL the app uses SQLite in the project folder, and with no
REDIS_URL Celery runs tasks eagerly in the web process. `buurtzorg.apps` logs which mode is
in use at start. Production secrets have no default when DEBUG is off.
"""

import ipaddress
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from kombu import Exchange, Queue

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="insecure-dev-only-key" if DEBUG else environ.Env.NOTSET)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "buurtzorg.apps.BuurtzorgConfig",
    "buurtzorg.audit",
    "teams",
    "omaha",
    "clients",
    "clients.intake",
    "clients.wounds",
    "clients.measurements",
    "scheduling",
    "scheduling.billing",
    "scheduling.medication",
    "scheduling.carenotes",
    "omaha.reports",
    "coaching",
    "coaching.incidents",
    # Change history by database triggers (see scheduling/history/models.py).
    "pgtrigger",
    "pghistory",
    "scheduling.history",
    "scheduling.privacy",
    # Login hardening: brute-force lockout and optional TOTP two-factor login.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
]

MIDDLEWARE = [
    "buurtzorg.audit.middleware.RequestIdMiddleware",
    # 413 from the Content-Length alone, before any middleware or view reads the body.
    "buurtzorg.bodylimit.RequestBodyLimitMiddleware",
    # 400 for a NUL byte in the path, query string or a text body, before anything reads it.
    "buurtzorg.audit.middleware.RejectNulBytesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # no-store on every signed-in response, a Permissions-Policy on all (outside WhiteNoise,
    # so static files get the policy but keep their cache headers).
    "buurtzorg.audit.middleware.PrivacyHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # With a replica: a user who has just written reads the primary (buurtzorg.dbrouter).
    # Before HistoryContextMiddleware, so it sees each statement as the view sent it.
    "buurtzorg.dbrouter.ReadYourWritesMiddleware",
    # After authentication: a signed-in user's own language wins over cookie and browser.
    "teams.language.UserLanguageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "buurtzorg.audit.middleware.SessionAbsoluteTimeoutMiddleware",
    "buurtzorg.audit.middleware.TwoFactorMiddleware",
    "buurtzorg.audit.middleware.HistoryContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page (429).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "buurtzorg.urls"
WSGI_APPLICATION = "buurtzorg.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "buurtzorg.context_processors.navigation",
                "coaching.context_processors.unread",
            ],
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A page reads a small slice of large tables. Starting PostgreSQL's parallel workers costs
# 5-8 ms on a 2-core machine, more than they save on such reads (the coach dashboard's pair
# count: 17 ms with one worker, 10 ms without), so connections start with none. Background
# jobs (billing runs, reports, checks) scan whole months: Celery worker processes raise it
# (buurtzorg.celery.batch_database_settings).
DB_PARALLEL_WORKERS_PER_GATHER = env.int("DB_PARALLEL_WORKERS_PER_GATHER", default=0)
DB_BATCH_PARALLEL_WORKERS_PER_GATHER = env.int("DB_BATCH_PARALLEL_WORKERS_PER_GATHER", default=2)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # make run's embedded SQLite: a write waits for the lock (up to 20 s) instead of failing
    # with "database is locked" when the page and the phone's offline sync write at once
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c max_parallel_workers_per_gather={DB_PARALLEL_WORKERS_PER_GATHER}"
    )
# Two database roles (PostgreSQL): DATABASE_URL is the app's role, with only the grants it
# needs (`manage.py db_grant_app_role`); DATABASE_OWNER_URL, when set, is the role that owns
# the tables. `manage.py migrate` (buurtzorg/management/commands/migrate.py) runs as the owner
# and then grants the app role. Nothing else connects as the owner (the access log's partitions
# are made and dropped through SECURITY DEFINER functions the app role may call).
DATABASE_OWNER_URL = env("DATABASE_OWNER_URL", default="")
if DATABASE_OWNER_URL:
    DATABASES["owner"] = {
        **env.db_url_config(DATABASE_OWNER_URL),
        "CONN_MAX_AGE": 0,
        "TEST": {"MIRROR": "default"},
    }
# A PostgreSQL streaming replica for heavy read-only work (issue 22, item 3): outcome reports,
# the dashboards' figures, the billing pre-flight, exports. Only what a selector sends there in
# `buurtzorg.dbrouter.replica_reads()` goes there; every write goes to the primary. After a
# user writes, her reads stay on the primary for READ_YOUR_WRITES_SECONDS; a background job
# reads the replica only once it has replayed the primary's position at the job's start
# (waiting at most REPLICA_CATCH_UP_SECONDS). Without DATABASE_REPLICA_URL nothing changes.
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", default="")
READ_YOUR_WRITES_SECONDS = env.int("READ_YOUR_WRITES_SECONDS", default=10)
REPLICA_CATCH_UP_SECONDS = env.float("REPLICA_CATCH_UP_SECONDS", default=5.0)
if DATABASE_REPLICA_URL:
    _replica = env.db_url_config(DATABASE_REPLICA_URL)
    DATABASES["replica"] = {
        **_replica,
        "ATOMIC_REQUESTS": False,
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        # a kept connection to a standby that restarted is noticed before it is used
        "CONN_HEALTH_CHECKS": True,
        # the same session settings as the primary (no parallel workers for web reads)
        "OPTIONS": {**DATABASES["default"].get("OPTIONS", {}), **_replica.get("OPTIONS", {})},
        # Tests without a standby read the test database through it.
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["buurtzorg.dbrouter.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "teams.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # No organisation words, no published (demo) password, no common word with digits added,
    # at least 5 different characters (buurtzorg/passwords.py).
    {"NAME": "buurtzorg.passwords.OrganisationPasswordValidator"},
]
# Argon2id first: new passwords, and old PBKDF2 hashes at their owner's next login, are stored
# with it (buurtzorg.passwords.Argon2idPasswordHasher says why these parameters). PBKDF2 stays
# listed so that hashes made before can still be checked, and so upgraded.
PASSWORD_HASHERS = [
    "buurtzorg.passwords.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    # Refuses any login (form, admin, API token) for a locked-out username or address.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Dutch teams are the main users, so Dutch is the default; teams elsewhere set LANGUAGE_CODE.
# Which language a request gets: the user's own choice (User.language, applied by
# teams.language.UserLanguageMiddleware), else the language cookie the menu's switch sets,
# else the browser's Accept-Language, else LANGUAGE_CODE (django.middleware.locale).
LANGUAGE_CODE = env("LANGUAGE_CODE", default="nl")
# Each name in its own language, as the switch shows it.
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
# Each language's dates, times and numbers: buurtzorg/formats/nl (2 dec. 2026, 02-12-2026,
# 1.234,56) and buurtzorg/formats/en (British: 2 Dec 2026, 02-12-2026, 1,234.56; Django's "en"
# is American). Templates name the formats (|date:"DATE_FORMAT"), never a pattern.
FORMAT_MODULE_PATH = ["buurtzorg.formats"]
# The app's catalogues (locale/<lang>/LC_MESSAGES/django.po); `make messages` updates them,
# and `make run`/`make test` compile them (.mo files are build output, not committed).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # With DEBUG off (the image's collectstatic, production): names carry a hash of the
        # content, so browsers may cache them for a year, plus gzip and brotli copies.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Sessions: 30 minutes idle, at most 12 hours in all (OWASP ASVS 3.3.2). A used session is
# saved (expiry moved on) at most once a minute, not on every request: see
# buurtzorg.audit.middleware.SessionAbsoluteTimeoutMiddleware.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 60
SESSION_ABSOLUTE_MAX_AGE = timedelta(hours=12)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Brute-force protection (django-axes): 5 failures lock that username, and separately that
# address, for 15 minutes. A successful login forgives only her own failures from that address,
# and attempts refused during a lock are not counted, so neither another account's login nor a
# locked-out address can reset or spread a lock (buurtzorg.audit.lockout). Failed logins are
# kept (AccessAttempt, AccessFailureLog) and so are successful ones (AccessLog), also readable
# in the Django admin.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_HANDLER = "buurtzorg.audit.lockout.LockoutHandler"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client address is REMOTE_ADDR, unless the request came through one of these reverse
# proxies (addresses or networks, e.g. TRUSTED_PROXIES=10.0.0.2,172.18.0.0/16): then it is the
# nearest untrusted hop of X-Forwarded-For. Default none: a client's X-Forwarded-For is ignored.
TRUSTED_PROXIES = [
    str(ipaddress.ip_network(proxy, strict=False))
    for proxy in env.list("TRUSTED_PROXIES", default=[])
]
AXES_CLIENT_IP_CALLABLE = "buurtzorg.audit.lockout.client_ip"

# Optional TOTP two-factor login (django-otp). Anyone may turn it on for her account; the
# roles listed here must (e.g. OTP_REQUIRED_ROLES=admin,back_office). They are sent to the
# set-up page after logging in, and get an API token only with a current code (see
# buurtzorg.audit.services.api_token_issue).
OTP_REQUIRED_ROLES = env.list("OTP_REQUIRED_ROLES", default=[])
# An API token lives this long from when it was issued (buurtzorg.authentication),
# like a session at most; logging out and changing the password delete it sooner.
API_TOKEN_TTL = timedelta(hours=env.float("API_TOKEN_TTL_HOURS", default=12))
OTP_TOTP_ISSUER = "Buurtzorg"

# GDPR: a discharged client's record is anonymised this many years after discharge by the
# nightly job (scheduling.privacy). 20 is the Dutch WGBO term for medical records.
PRIVACY_RETENTION_YEARS = env.int("PRIVACY_RETENTION_YEARS", default=20)
# The access log (buurtzorg.audit) is kept this many years (NEN 7513: at least 5; a lower value
# is refused) and is partitioned by month on PostgreSQL: the nightly job below makes the
# partitions this many months ahead and drops whole months past the retention.
AUDIT_LOG_RETENTION_YEARS = env.int("AUDIT_LOG_RETENTION_YEARS", default=5)
AUDIT_LOG_PARTITIONS_AHEAD = env.int("AUDIT_LOG_PARTITIONS_AHEAD", default=3)
CSRF_COOKIE_HTTPONLY = False  # htmx reads nothing from it: the token travels via hx-headers
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Browser features the app never uses, off for every page (PrivacyHeadersMiddleware).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "browsing-topics",
    )
)

# Content-Security-Policy (django-csp): scripts only from our own static files (htmx, app.js),
# never inline and never eval. Stylesheets only from static/ too (htmx's own indicator
# <style> is switched off in base.html's htmx-config meta); style *attributes* are allowed,
# since they cannot run script and a few templates use them for layout.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# History triggers are installed after every migrate (PostgreSQL only) and kept out of
# migrations, so tracking other apps' models never adds operations to their migrations.
PGTRIGGER_MIGRATIONS = False
PGTRIGGER_INSTALL_ON_MIGRATE = True
# Event tables copy only the column shape of the tracked fields; labels, help texts,
# validators, choices and defaults stay with the owner's model (so their edits need no
# history migration).
PGHISTORY_EXCLUDE_FIELD_KWARGS = {
    "django.db.models.Field": ["verbose_name", "help_text", "validators", "choices", "default"]
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # Tokens expire (API_TOKEN_TTL) and refuse to skip two-factor login.
        "buurtzorg.authentication.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "buurtzorg.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Buurtzorg API",
    "DESCRIPTION": "API for self-managing community nursing teams.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the installed sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several apps have a "kind" choice field; name each enum so the schema is stable.
    "ENUM_NAME_OVERRIDES": {
        "ShiftKindEnum": "scheduling.models.ShiftKind",
        "SpaceKindEnum": "coaching.models.SpaceKind",
        "NotificationKindEnum": "coaching.models.NotificationKind",
        "MeasurementKindEnum": "clients.measurements.models.Kind",
        "WoundKindEnum": "clients.wounds.models.WoundKind",
        "IncidentKindEnum": "coaching.incidents.models.IncidentKind",
        "PrivacyRequestKindEnum": "scheduling.privacy.models.RequestKind",
        "PrivacyRequestOutcomeEnum": "scheduling.privacy.models.RequestOutcome",
        "DoseOutcomeEnum": "scheduling.medication.models.Outcome",
        "OfflineConflictCodeEnum": ["reassigned", "cancelled", "billed"],
    },
}

REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
# A worker child that has grown past 500 MB (resident, in KiB) is replaced after its task:
# a national billing month peaks near that, and memory kept by one run is not carried into
# the next. PDF rendering in a worker is capped on top of that (buurtzorg.limits).
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=500_000)
PDF_MEMORY_LIMIT_MB = env.int("PDF_MEMORY_LIMIT_MB", default=1024)
# A billing run's build queues the run's pre-flight check when it is done (the benchmark
# turns this off to time the two jobs apart).
BILLING_CHECK_AFTER_BUILD = True
# Longer than the longest task, so an unacknowledged task is not redelivered while it runs.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
CELERY_TIMEZONE = TIME_ZONE
# Two queues (issue 22, item 4): long jobs (billing runs, pre-flight checks, outcome reports,
# the dashboards' summary rebuilds, the nightly bulk jobs of thousands of tasks) on `batch`;
# notices, cache warming and other short tasks on `default`. Each queue has its own worker
# (docker-compose: worker and worker-batch), so a 20-minute billing run never holds up a
# notice. A worker started without -Q consumes both (development, the tests' worker).
CELERY_TASK_DEFAULT_QUEUE = "default"
# Each queue its own exchange and routing key: a bare Queue("batch") would be bound with the
# default key and receive the default queue's messages too.
CELERY_TASK_QUEUES = tuple(
    Queue(name, Exchange(name), routing_key=name) for name in ("default", "batch")
)
BATCH_TASKS = (
    "scheduling.billing.tasks.billing_run_build_task",
    "scheduling.billing.tasks.billing_run_check_task",
    "scheduling.billing.tasks.billing_run_schedule_previous_month_task",
    "omaha.reports.tasks.outcome_report_build_task",
    "coaching.tasks.team_days_refresh_recent_task",
    "coaching.tasks.team_days_refresh_nightly_task",
    "scheduling.tasks.series_materialise_all_task",
    "scheduling.tasks.series_materialise_task",
    "scheduling.privacy.tasks.clients_erase_expired_task",
    "scheduling.privacy.tasks.client_erase_task",
    "buurtzorg.audit.tasks.audit_partitions_maintain_task",
)
CELERY_TASK_ROUTES = {name: {"queue": "batch"} for name in BATCH_TASKS}
CELERY_BEAT_SCHEDULE: dict = {}
# scheduling: every night, check the next 14 days of each team's rota and post gaps.
CELERY_BEAT_SCHEDULE["scheduling-rota-coverage-check"] = {
    "task": "scheduling.tasks.rota_check_all_teams_task",
    "schedule": crontab(hour=2, minute=15),
}
# scheduling: every night, materialise recurring visits for the next 28 days (idempotent).
CELERY_BEAT_SCHEDULE["scheduling-series-materialise"] = {
    "task": "scheduling.tasks.series_materialise_all_task",
    "schedule": crontab(hour=1, minute=30),
}
# billing: a draft run (all insurers) for the previous month, early on the 1st.
CELERY_BEAT_SCHEDULE["billing-previous-month"] = {
    "task": "scheduling.billing.tasks.billing_run_schedule_previous_month_task",
    "schedule": crontab(minute=30, hour=2, day_of_month=1),
}
# privacy: every night, anonymise clients past the retention period (GDPR; idempotent).
CELERY_BEAT_SCHEDULE["privacy-erase-expired"] = {
    "task": "scheduling.privacy.tasks.clients_erase_expired_task",
    "schedule": crontab(hour=3, minute=45),
}
# audit: every night, the access log's partitions 3 months ahead, and months past the retention
# dropped (detach + DROP, no DELETE). Daily and idempotent, so a missed night costs nothing.
CELERY_BEAT_SCHEDULE["audit-partitions-maintain"] = {
    "task": "buurtzorg.audit.tasks.audit_partitions_maintain_task",
    "schedule": crontab(hour=0, minute=40),
}
# Called as f(team=team) inside teams.services.team_create: per-team things other apps keep.
TEAM_CREATED_HOOKS = ["coaching.services.space_for_team"]
# Called as f(membership=membership) inside teams.services.membership_end: a nurse who leaves
# her team gives up her future visits (issue 20, item 4).
MEMBERSHIP_ENDED_HOOKS = ["scheduling.services.rota.membership_ended_unassign_visits"]
# Called as f(client=client, discharged_on=day) inside clients.services.client_discharge,
# before the discharge is saved: scheduling cancels her planned visits after that day (the
# database refuses a discharge with booked visits after it, issue 20 item 12).
CLIENT_DISCHARGED_HOOKS = ["scheduling.services.visits.client_discharged_cancel_visits"]
# Called as f(team=, subject=, body=, key=) to tell a team something (the nightly rota-gap
# check): coaching posts it into the team's space, so scheduling imports no app above it.
TEAM_NOTICE_HOOKS = ["coaching.services.space_post_system_notice"]
# Called as f(client=) inside clients.reads.client_record_open (clinical readers only): a dict
# of what an app above clients adds to the record page (its template includes it by name).
CLIENT_RECORD_PARTS = [
    "scheduling.medication.reads.client_record_part",
    # wounds and measurements, in one query (clients/wounds/record.py)
    "clients.wounds.record.client_record_part",
]
# Called as f(client=) by clients.export.client_record_fhir: FHIR resources of apps above.
CLIENT_FHIR_HOOKS = [
    "scheduling.medication.export.fhir_resources",
    "clients.wounds.export.fhir_resources",
    "clients.measurements.export.fhir_resources",
]
# medication: a visit covers the doses due from this many minutes before its planned start
# to this many after its planned end (scheduling/medication/schedule.py).
MEDICATION_DOSE_MARGIN_MINUTES = env.int("MEDICATION_DOSE_MARGIN_MINUTES", default=60)
# medication: every evening, post the day's overdue (unsigned) doses to each team.
CELERY_BEAT_SCHEDULE["medication-overdue-notice"] = {
    "task": "scheduling.medication.tasks.overdue_doses_notify_all_task",
    "schedule": crontab(hour=21, minute=30),
}
# Called as f(visits=queryset, nurse=, now=) by scheduling.selectors.my_day_visits: each returns
# the queryset with more annotations for the cards (in the same query), so apps above scheduling
# add to My day without scheduling importing them. Carenotes adds `new_reports`. The statement
# is compiled once per process (buurtzorg.compiled), so nurse and now are stand-ins: take every
# value from them, not from the clock (a check refuses a statement whose values change).
MY_DAY_VISIT_ANNOTATIONS = ["scheduling.carenotes.selectors.my_day_annotate_new_reports"]
# The handover page's sources (scheduling.carenotes.handover): f(team=, since=, user=) returning
# items (kind, client, when, text, url[, key]) about the team's clients. Add yours to the list.
# Those that are clients.handover.HandoverQuery objects are read together in one query.
HANDOVER_SOURCES = [
    "scheduling.carenotes.handover.reports_for_handover",
    "scheduling.carenotes.handover.care_plan_changes",
    "scheduling.carenotes.handover.problem_changes",
    "scheduling.carenotes.handover.visits_missed_or_cancelled",
    "scheduling.medication.handover.overdue_doses",
    "clients.measurements.handover.out_of_range",
]

# Offline actions (issue 18): what the phone's queue may send to POST /api/visits/<id>/offline/,
# by kind, each applied once per key by scheduling.services.offline.offline_action_apply, which
# calls f(visit=, actor=, acted_at=, payload=) here. Apps above scheduling add their own kinds.
OFFLINE_ACTION_HANDLERS = {
    "done": "scheduling.services.offline.offline_visit_done",
    "deviation": "scheduling.services.offline.offline_visit_log",
    "rating": "scheduling.services.offline.offline_rating_add",
    "report": "scheduling.carenotes.offline.offline_report_write",
    "dose": "scheduling.medication.offline.offline_dose_sign",
}

# coaching: the daily team summary behind the dashboards (see coaching/summary.py). Today's
# rows every 10 minutes (the pages are at most that stale); the last six weeks every night.
CELERY_BEAT_SCHEDULE["coaching-team-days-recent"] = {
    "task": "coaching.tasks.team_days_refresh_recent_task",
    "schedule": crontab(minute="*/10"),
}
CELERY_BEAT_SCHEDULE["coaching-team-days-nightly"] = {
    "task": "coaching.tasks.team_days_refresh_nightly_task",
    "schedule": crontab(hour=1, minute=50),
}
# The initial values of the organisation's details (teams.Organisation), read only by the
# migration teams/0007 on the first `migrate`; the page "Organisation" edits them after that.
# AGB: 8 digits, the sender in insurer declaration files; 00000000 stands for "not set yet".
ORGANISATION_AGB = env("ORGANISATION_AGB", default="") or "00000000"
# The organisation's name in declarations; empty means not set yet (billing then writes its
# default name).
ORGANISATION_NAME = env("ORGANISATION_NAME", default="")
# Called as f() by the kernel's {% pdf_author %} tag (buurtzorg/templatetags/documents.py):
# the organisation's own name (teams.Organisation) as the author in every PDF's metadata, for
# PDFs whose caller does not pass one in (the billing documents carry theirs).
DOCUMENT_AUTHOR_PROVIDER = "teams.selectors.organisation_document_author"
# How many minutes before its planned start a visit may be logged as done (clocks differ).
VISIT_DONE_TOLERANCE_MINUTES = env.int("VISIT_DONE_TOLERANCE_MINUTES", default=15)

# The cache is Redis whenever there is one (CACHE_URL, by default REDIS_URL; the benchmarks
# set CACHE_URL alone so that Celery stays eager there). Sessions are then read from Redis and
# written through to PostgreSQL (cached_db): a page view reads no session row, and a Redis
# restart logs nobody out. Without Redis they stay in the database only: a per-process
# memory cache would let one gunicorn worker serve a session another has ended.
CACHE_URL = env("CACHE_URL", default=REDIS_URL)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default=""),
    }
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if CACHE_URL
    else "django.contrib.sessions.backends.db"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs every layout step and page at INFO (a 50-page invoice: 60 lines);
        # fontTools logs each font subset. Their warnings and errors still come through.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Production hardening, active whenever DEBUG is off (nothing lives only in production).
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Behind a TLS proxy (TRUSTED_PROXIES; the compose file's Caddy), X-Forwarded-Proto says
    # whether the browser used HTTPS. Without a proxy nothing may claim that: a client could
    # send the header itself, so it is believed only when a proxy is configured.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXIES else None

# Request bodies (issue 20 item 15). RequestBodyLimitMiddleware answers 413 to a declared
# Content-Length over MAX_REQUEST_BODY_BYTES before anything reads the body: five 5 MB
# attachments on one message plus the form around them. Form and JSON bodies are capped lower
# by Django itself (read into memory whole); uploaded files past FILE_UPLOAD_MAX_MEMORY_SIZE go
# to a temporary file instead of memory.
MAX_REQUEST_BODY_BYTES = env.int("MAX_REQUEST_BODY_BYTES", default=26 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 20

# Self-service password reset (issue 20 item 16): the link works for one hour. Mail goes to the
# console in development; production names its SMTP server (EMAIL_URL, e.g. smtp+tls://...).
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3600)
_EMAIL = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
EMAIL_BACKEND = _EMAIL["EMAIL_BACKEND"]
EMAIL_HOST = _EMAIL.get("EMAIL_HOST", "")
EMAIL_PORT = _EMAIL.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _EMAIL.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _EMAIL.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _EMAIL.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _EMAIL.get("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Buurtzorg <noreply@localhost>")


# wounds and measurements (clients.wounds, clients.measurements). Wound photos live under a
# PRIVATE root: outside MEDIA_ROOT and STATIC_ROOT, served by no static route, only by the
# access-checked, audited photo view (clients.wounds.views.photo_file).
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private-media")
WOUND_PHOTO_MAX_BYTES = env.int("WOUND_PHOTO_MAX_BYTES", default=10 * 1024 * 1024)
WOUND_PHOTO_MAX_PIXELS = env.int("WOUND_PHOTO_MAX_PIXELS", default=40_000_000)

# clients: the most hours a week one care indication may grant (issue 16, item 3). The database
# holds at most 168 (a week); the service refuses more than this.
INDICATION_MAX_HOURS_PER_WEEK = env.int("INDICATION_MAX_HOURS_PER_WEEK", default=40)
# scheduling: every night, tell each team which indications end within 4 weeks (issue 16).
CELERY_BEAT_SCHEDULE["scheduling-indications-ending"] = {
    "task": "scheduling.tasks.indication_check_all_teams_task",
    "schedule": crontab(hour=2, minute=25),
}
