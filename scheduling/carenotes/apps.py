from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CarenotesConfig(AppConfig):
    name = "scheduling.carenotes"
    label = "carenotes"
    verbose_name = _("Reports and handover")
