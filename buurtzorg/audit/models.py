"""Audit trail of access to client records (NEN 7513 style).

Kept apart from clinical tables: no foreign keys into them, so erasing or anonymising a
client never rewrites who looked at the record. Rows are kept at least 5 years.
"""

import uuid

from django.db import models
from django.db.models import F
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    VIEW = "view", _("view")
    LIST = "list", _("list/search")
    CREATE = "create", _("create")
    UPDATE = "update", _("update")
    DELETE = "delete", _("delete")
    EXPORT = "export", _("export")
    PRINT = "print", _("print")
    AUDIT_VIEW = "audit_view", _("view audit log")


class AccessEvent(models.Model):
    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    user_id = models.BigIntegerField(null=True)
    username = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=20, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    client_public_id = models.UUIDField(null=True, blank=True)
    part = models.CharField(max_length=60, blank=True, help_text="Which part of the record")
    detail = models.CharField(max_length=300, blank=True, help_text="Search query or export kind")
    request_id = models.UUIDField(default=uuid.uuid4)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["client_public_id", "-occurred_at"], name="audit_client_time"),
            models.Index(fields=["user_id", "-occurred_at"], name="audit_user_time"),
            # The log page filters by username, case-insensitively (UPPER(username) = ...).
            models.Index(Upper("username"), F("occurred_at").desc(), name="audit_username_time"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.part}"
