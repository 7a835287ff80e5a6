import logging

from django.apps import AppConfig
from django.conf import settings

logger = logging.getLogger("buurtzorg")


class BuurtzorgConfig(AppConfig):
    name = "buurtzorg"
    verbose_name = "Buurtzorg"

    def ready(self) -> None:
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        if engine == "sqlite3":
            logger.warning(
                "Embedded mode: no DATABASE_URL, using SQLite at %s",
                settings.DATABASES["default"]["NAME"],
            )
        else:
            logger.info("Database: %s", engine)
        if settings.CELERY_TASK_ALWAYS_EAGER and not settings.REDIS_URL:
            logger.warning("Embedded mode: no REDIS_URL, Celery tasks run eagerly in-process")
        else:
            logger.info("Celery broker: Redis")
