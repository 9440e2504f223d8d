"""What happens to videos that other apps may act on, as Django signals (receivers connect from
their AppConfig.ready(); videos imports none of them). Each is sent once the change is stored."""

from django.dispatch import Signal

# The worker published a video (`video`: as it is now, ready). Sent once per video.
video_ready = Signal()
# The worker gave up on a video (`video`: failed, with its `error` a person can read).
video_failed = Signal()
# A person opened the list of their own videos (`user_id`).
own_videos_seen = Signal()
# A video was deleted, by its owner, by staff or with its owner's account (`video`: as it was).
# Its item, listings and objects are gone; each app removes what it kept of it (likes, views,
# comments, reports, playlist entries), finding those items without a Scan (pettube/dynamo.py's
# `of-video` index). Receivers must be idempotent: a failed deletion is run again.
video_deleted = Signal()
# A person's account is being deleted (`user_id`), THE seam every app plugs its own clean-up
# into from its seams.py: their videos were deleted already (each with `video_deleted`); each app
# removes what else is theirs (pets, comments, likes, follows, playlists; pettube/dynamo.py's
# `of-user` index). Sent before the account's row goes (videos.services.remove_account): if a receiver fails,
# the account stays, and deleting it again runs every receiver again, so they must be idempotent.
account_deleted = Signal()
