from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        from accounts import checks, removal  # noqa: F401  (checks registers the system checks)

        removal.register()
