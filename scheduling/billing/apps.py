from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "scheduling.billing"
    label = "billing"
    verbose_name = "Insurer billing"
