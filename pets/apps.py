from django.apps import AppConfig


class PetsConfig(AppConfig):
    name = "pets"

    def ready(self):
        from pets import listing, services
        from videos import feeds, listings, tagging

        listings.register(listing.LISTING)
        feeds.register(listing.FEED)
        tagging.provide(tagging.Pets(of_owner=services.tags_of, owned=services.owned_tags))
