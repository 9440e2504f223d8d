from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"

    def ready(self):
        from search import services
        from videos import feeds, listings

        listings.register(services.LISTING)
        feeds.register(services.FEED)
