from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "buurtzorg.audit"
    label = "audit"
    verbose_name = "Audit trail"
