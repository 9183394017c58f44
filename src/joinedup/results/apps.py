from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "joinedup.results"
    label = "results"
    verbose_name = "Results"
