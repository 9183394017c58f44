from django.apps import AppConfig


class ToolkitConfig(AppConfig):
    name = "joinedup.toolkit"
    label = "toolkit"
    verbose_name = "Collaborative Working Toolkit"
