from django.apps import AppConfig


class MedicationConfig(AppConfig):
    """Medication lists and the administration record (toedienregistratie), issue 17."""

    name = "scheduling.medication"
    label = "medication"
    verbose_name = "Medication"
