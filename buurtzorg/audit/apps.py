from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class AuditConfig(AppConfig):
    name = "buurtzorg.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        # Here, not at the top: the middleware module imports models (app registry not ready).
        from buurtzorg.audit.middleware import session_mark_login

        user_logged_in.connect(session_mark_login, dispatch_uid="audit.session_mark_login")
