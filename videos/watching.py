"""What a video's page reads (services.viewing): apart from videos/services.py so that a page
that shows no single video, a cold start's `GET /` among them, does not compile it."""

from dataclasses import dataclass

from videos.domain import Video


@dataclass(frozen=True)
class Viewing:
    """A video as one person sees it on its page, with what other apps read along with it
    (videos/along.py: whether they like it, their unseen count) by name."""

    video: Video
    along: dict[str, object]
