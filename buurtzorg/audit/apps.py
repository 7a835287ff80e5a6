from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "buurtzorg.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from buurtzorg.audit.middleware import session_mark_login

        user_logged_in.connect(session_mark_login, dispatch_uid="audit.session_mark_login")
