from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"

    def ready(self):
        from notifications import repository, services
        from videos import along, signals

        signals.video_ready.connect(services.video_ready, dispatch_uid="notifications.video_ready")
        signals.video_failed.connect(services.video_failed, dispatch_uid="notifications.video_failed")
        signals.own_videos_seen.connect(
            lambda user_id, **_: services.mark_seen(user_id=user_id), weak=False, dispatch_uid="notifications.seen"
        )
        along.register(along.Along(name="unseen_count", ids=lambda video_id, user_id: [repository.inbox_id(user_id)],
                                   read=repository.unseen_along))
