from django.apps import AppConfig


class WorkerConfig(AppConfig):
    name = "joinedup.worker"
    label = "worker"
    verbose_name = "Task worker"
