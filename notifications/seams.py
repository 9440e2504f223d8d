"""What notifications plugs into videos' seams (`register`, from notifications/apps.py): emails
when a video is ready or failed, "seen" when its owner opens My videos (videos/signals.py), and
the viewer's unseen count, read along with a video on its page, and forgetting a deleted video's
activity and a deleted account's unseen count."""

from notifications import repository, services
from videos import along, signals


def _seen(user_id: str, **_) -> None:
    services.mark_seen(user_id=user_id)


def register() -> None:
    signals.video_ready.connect(services.video_ready, dispatch_uid="notifications.video_ready")
    signals.video_failed.connect(services.video_failed, dispatch_uid="notifications.video_failed")
    signals.own_videos_seen.connect(_seen, dispatch_uid="notifications.seen")
    signals.video_deleted.connect(services.forget_video, dispatch_uid="notifications.forget_video")
    signals.account_deleted.connect(services.forget_person, dispatch_uid="notifications.forget_person")
    along.register(along.Along(name="unseen_count", ids=lambda video_id, user_id: [repository.inbox_id(user_id)],
                               read=repository.unseen_along))
