from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """GDPR duties for client records: a sub-app of clients, under its original label."""

    name = "scheduling.privacy"
    label = "privacy"
    verbose_name = "GDPR duties"
