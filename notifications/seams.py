"""What notifications plugs into videos' seams (`register`, from notifications/apps.py): emails
when a video is ready or failed, "seen" when its owner opens My videos (videos/signals.py), and
the viewer's unseen count, read along with a video on its page, and forgetting a deleted video's
activity and a deleted account's unseen count."""

from pettube import lazy
from videos import along, signals

services = lazy.module("notifications.services")


def _seen(user_id: str, **_) -> None:
    services.mark_seen(user_id=user_id)


def _ready(**arguments) -> None:
    services.video_ready(**arguments)


def _failed(**arguments) -> None:
    services.video_failed(**arguments)


def _forget_video(**arguments) -> None:
    services.forget_video(**arguments)


def _forget_person(**arguments) -> None:
    services.forget_person(**arguments)


def register() -> None:
    signals.video_ready.connect(_ready, dispatch_uid="notifications.video_ready")
    signals.video_failed.connect(_failed, dispatch_uid="notifications.video_failed")
    signals.own_videos_seen.connect(_seen, dispatch_uid="notifications.seen")
    signals.video_deleted.connect(_forget_video, dispatch_uid="notifications.forget_video")
    signals.account_deleted.connect(_forget_person, dispatch_uid="notifications.forget_person")
    along.register(along.Along(name="unseen_count", ids=lambda video_id, user_id: services.unseen_ids(user_id),
                               read=lambda *args: services.unseen_along(*args)))
