from django.apps import AppConfig


class OmahaConfig(AppConfig):
    name = "omaha"
