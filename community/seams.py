"""What community plugs into videos' seams (`register`, from community/apps.py): the ranking's
`Listing` (a video that stops being listed leaves the stored ranking in the transaction that
unlists it, not an hour later), the `?sort=popular` feed, whether the viewer likes the video,
read along with it, and what goes when a video or an account is deleted (community/cleanup.py)."""

from pettube import lazy
from pettube.dynamo import Action
from videos import along, feeds, listings, signals
from videos.domain import Video

ranking = lazy.module("community.ranking")
likes = lazy.module("community.repositories.likes")
cleanup = lazy.module("community.cleanup")


def withdrawals(old: Video | None, new: Video | None) -> list[Action]:
    if old is not None and old.listed and not (new is not None and new.listed):
        return [ranking.withdrawal_action(old.id)]
    return []


def _forget_video(**arguments) -> None:
    cleanup.forget_video(**arguments)


def _forget_person(**arguments) -> None:
    cleanup.forget_person(**arguments)


def register() -> None:
    listings.register(listings.Listing(name="ranking", actions=withdrawals))
    feeds.register(feeds.Feed(parameter="sort", value="popular", default_values=frozenset({"newest"}),
                              read=lambda value, **page: ranking.popular_page(**page),
                              page_context=lambda value: {"popular": True}))
    along.register(along.Along(name="liked", ids=lambda video_id, user_id: [likes.like_id(video_id, user_id)],
                               read=lambda *args: likes.likes(*args), signed_out=False))
    signals.video_deleted.connect(_forget_video, dispatch_uid="community.forget_video")
    signals.account_deleted.connect(_forget_person, dispatch_uid="community.forget_person")
