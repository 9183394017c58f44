from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "joinedup.outbox"
    label = "outbox"
    verbose_name = "Outbox"
