from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "clients.intake"
    label = "intake"
    verbose_name = "Intake requests"
    default_auto_field = "django.db.models.BigAutoField"
