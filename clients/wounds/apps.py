from django.apps import AppConfig


class WoundsConfig(AppConfig):
    name = "clients.wounds"
    label = "wounds"
    verbose_name = "Wounds"
    default_auto_field = "django.db.models.BigAutoField"
