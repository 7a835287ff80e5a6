from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "buurtzorg.privacy"
    label = "privacy"
    verbose_name = "GDPR duties"
