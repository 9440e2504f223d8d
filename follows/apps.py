from django.apps import AppConfig


class FollowsConfig(AppConfig):
    name = "follows"

    def ready(self):
        from follows import seams

        seams.register()
