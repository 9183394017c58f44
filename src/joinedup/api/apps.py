from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "joinedup.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        # Connects the receiver that revokes tokens when a password changes.
        from . import services  # noqa: F401
