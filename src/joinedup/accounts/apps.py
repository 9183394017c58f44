from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "joinedup.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # The site's own deployment checks (the secret key) live beside its settings.
        from joinedup.site import startup  # noqa: F401
