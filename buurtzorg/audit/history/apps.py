from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "buurtzorg.audit.history"
    label = "history"
    verbose_name = "Change history"
