from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "joinedup.actions"
    label = "actions"
    verbose_name = "Actions"
