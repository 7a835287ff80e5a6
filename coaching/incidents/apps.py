from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    """Incidents, safeguarding concerns and complaints a team handles itself (issue 16, item 4)."""

    name = "coaching.incidents"
    label = "incidents"
    verbose_name = "Incidents"
