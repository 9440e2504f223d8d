"""Nothing outlives what it belongs to: when a video is deleted, its likes, views, comments,
reports and review cases go (its counters went with its item), and its copy in the stored
Popular ranking; when a person's account is
deleted, their likes (each video's count drops) and their comments (with their review cases)
go. community/seams.py connects these to videos/signals.py; both may run again after a failure."""

from community.repositories import comments, likes, owned, ranking, reports
from videos import services as videos
from videos.domain import Video


def forget_video(*, video: Video, **_) -> None:
    owned.delete(owned.of_video(video.id))
    ranking.purge(video.id)


def forget_person(*, user_id: str, **_) -> None:
    ids = owned.of_user(user_id)
    for item_id in ids:
        if like := likes.like_of(item_id):
            _unlike(*like)
        elif comment_id := comments.comment_of(item_id):
            reports.delete_case(f"comment:{comment_id}")
    owned.delete(ids)


def _unlike(video_id: str, user_id: str) -> None:
    """Take the like back with the video's count, or alone when the video cannot count (gone)."""
    counter = videos.counter_action(video_id=video_id, counter="likes", delta=-1)
    if not likes.remove_like(video_id, user_id, also=[counter]):
        likes.remove_like(video_id, user_id, also=[])
