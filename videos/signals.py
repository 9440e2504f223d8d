"""What happens to videos that other apps may act on, as Django signals (receivers connect from
their AppConfig.ready(); videos imports none of them). Each is sent once the change is stored."""

from django.dispatch import Signal

# The worker published a video (`video`: as it is now, ready). Sent once per video.
video_ready = Signal()
# The worker gave up on a video (`video`: failed, with its `error` a person can read).
video_failed = Signal()
# A person opened the list of their own videos (`user_id`).
own_videos_seen = Signal()
