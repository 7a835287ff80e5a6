"""The roles a user can have. In the kernel, so the role gates (`buurtzorg.access`) and the
kernel's own pages need no app; `teams.models.Role` is this same class."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NURSE = "nurse", _("Nurse")
    COACH = "coach", _("Coach")
    BACK_OFFICE = "back_office", _("Back office")
    ADMIN = "admin", _("Administrator")
