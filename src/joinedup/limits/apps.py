from django.apps import AppConfig


class LimitsConfig(AppConfig):
    name = "joinedup.limits"
    verbose_name = "Rate limits"
