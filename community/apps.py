from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"

    def ready(self):
        from community import ranking
        from community.repositories import likes
        from videos import along, feeds, listings

        listings.register(ranking.LISTING)
        feeds.register(ranking.FEED)
        along.register(along.Along(name="liked", ids=lambda video_id, user_id: [likes.like_id(video_id, user_id)],
                                   read=likes.likes, signed_out=False))
