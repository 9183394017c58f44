from django.apps import AppConfig


class UpdatesConfig(AppConfig):
    name = "joinedup.updates"
    label = "updates"
    verbose_name = "Weekly update"
