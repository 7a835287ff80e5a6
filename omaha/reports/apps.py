from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "omaha.reports"
    label = "reports"
    verbose_name = "Outcome reports"
