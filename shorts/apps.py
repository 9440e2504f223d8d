from django.apps import AppConfig


class ShortsConfig(AppConfig):
    name = "shorts"

    def ready(self):
        from shorts import seams

        seams.register()
