"""What people do through the site: start an upload, edit, hide or delete a video, and read
the feed, a person's videos and a video. The web views and the JSON API call these; what
happens to an upload once it arrives is videos/processing.py, in the worker. Every write that
can move a video in or out of a listing goes through videos/listings.py. Refusals are the named
exceptions of pettube/exceptions.py, with the message a person reads."""

import logging
import secrets
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from django.conf import settings

from pettube import dynamo, exceptions, lazy
from videos import along, listings, repository, signals, storage
from videos.domain import PRIVATE, PUBLIC, READY, UPLOADING, Caption, Page, PetTag, Video
from videos.listings import Conflict

# What only uploads, edits and the player's files need: imported by the first request that does
# (pettube/lazy.py), not by every cold start's `GET /`.
delivery = lazy.module("videos.delivery")
hls = lazy.module("videos.hls")
ladder = lazy.module("videos.ladder")
storyboard = lazy.module("videos.storyboard")
tagging = lazy.module("videos.tagging")
upload_starts = lazy.module("videos.upload_starts")
uploading = lazy.module("videos.uploading")
watching = lazy.module("videos.watching")
webvtt = lazy.module("videos.webvtt")

log = logging.getLogger("pettube.videos")

PAGE_SIZE = 24


class NotFound(exceptions.NotFound):
    def __init__(self, message: str = "No such video."):
        super().__init__(message)


class RateLimited(exceptions.RateLimited):
    def __init__(self, retry_after: int):
        super().__init__(f"Too many uploads; try again in {retry_after} s.", retry_after=retry_after)


def new_video_id() -> str:
    return secrets.token_urlsafe(8)


def start_upload(
    *, owner_id: str, owner_name: str, title: str, description: str, species: str, filename: str,
    content_type: str, size: int, pets: list[str] = (), visibility: str = PUBLIC,
) -> "uploading.UploadStart":
    """Record a new video as `uploading`, tagged with the owner's `pets`, and return how the
    browser sends the file: a presigned POST, or for a large file a multipart upload
    (videos/multipart.py hands out its part URLs and completes it). The key is ours
    (`uploads/<owner>/<id>`); the filename is only metadata. Raises RateLimited past
    PETTUBE_UPLOADS_PER_HOUR upload starts in this hour (see `counted_start`), NotYourPet when a
    pet is not the owner's."""
    now = dynamo.now()
    video_id = new_video_id()
    key = storage.upload_key(owner_id, video_id)
    multipart = (
        storage.begin_multipart(key=key, content_type=content_type, size=size) if storage.uses_multipart(size) else None
    )
    try:
        video = counted_start(
            Video(
                id=video_id,
                owner_id=owner_id,
                owner_name=owner_name,
                title=title,
                description=description,
                species=species,
                status=UPLOADING,
                created_at=now,
                updated_at=now,
                # the sweeper looks once the form expired
                due_at=now + timedelta(seconds=storage.UPLOAD_EXPIRY_SECONDS),
                filename=filename,
                declared_size=size,
                visibility=visibility,
                pets=tagging.owned(owner_id, list(pets)),
                upload_id=multipart and multipart.upload_id,
                part_size=multipart and multipart.part_size,
            )
        )
    except (RateLimited, tagging.NotYourPet):
        if multipart:
            storage.abort_multipart(key=key, upload_id=multipart.upload_id)
        raise
    upload = multipart or storage.presigned_upload(
        key=key,
        content_type=content_type,
        max_bytes=size,  # the declared size, itself at most PETTUBE_MAX_UPLOAD_BYTES
    )
    log.info("upload started", extra={"video_id": video.id, "owner_id": owner_id, "size": size})
    return uploading.UploadStart(video=video, upload=upload)


def counted_start(video: Video) -> Video:
    """Store a new video and count its start against its owner's PETTUBE_UPLOADS_PER_HOUR in
    the clock hour of `video.created_at`, in one DynamoDB transaction: concurrent starts cannot
    both take the last place, and deleting videos gives no start back. Raises RateLimited, with
    the seconds until the hour ends, when the hour's starts are used up."""
    window = upload_window(owner_id=video.owner_id, moment=video.created_at)
    try:
        listings.save(None, video, first=upload_starts.count_action(window))
    except repository.FirstRefused:
        retry_after = max(1, int((window.end - video.created_at).total_seconds()) + 1)
        log.warning("upload rate limited", extra={"owner_id": video.owner_id, "retry_after": retry_after})
        raise RateLimited(retry_after) from None
    except dynamo.ConditionFailed as failed:  # a pet that is not (or no longer) the owner's
        raise tagging.NotYourPet() from failed
    return video


def upload_window(*, owner_id: str, moment: datetime) -> "upload_starts.StartWindow":
    start = moment.replace(minute=0, second=0, microsecond=0)
    return upload_starts.StartWindow(
        owner_id=owner_id, start=start, end=start + timedelta(hours=1), limit=settings.PETTUBE_UPLOADS_PER_HOUR
    )


def delete_video(*, video_id: str, user_id: str) -> None:
    """Delete a video, its listings and every object it has (cancelling an upload under way).
    Only its owner may; to anybody
    else a video they cannot see does not exist (NotFound, as when reading it). A worker still
    processing it notices at the end (its conditional write fails) and removes what it wrote."""
    for _ in range(listings.ATTEMPTS):
        video = visible_video(video_id=video_id, user_id=user_id)
        if video.owner_id != user_id:
            raise exceptions.Forbidden("Only the owner can delete this video.")
        try:
            listings.save(video, None)
            break
        except dynamo.ConditionFailed:
            continue  # it changed since we read it (the worker, an edit): read again
    else:
        raise Conflict()
    _deleted(video)
    log.info("deleted", extra={"video_id": video.id, "owner_id": user_id})


def _deleted(video: Video) -> None:
    """After a video's item and listings went: its objects, and what other apps kept of it."""
    storage.delete_video_objects(owner_id=video.owner_id, video_id=video.id, upload_id=video.upload_id)
    signals.video_deleted.send(sender=Video, video=video)


def edit_video(*, video_id: str, user_id: str, **changes) -> Video:
    """Change any of a video's `title`, `description`, `pets` (ids of the owner's pets),
    `visibility` and `poster` (the index of a thumbnail candidate). Only its owner may. Every
    listing follows in the same transaction. Raises NotFound (also for someone else's video
    they cannot see), Forbidden, NotYourPet, Conflict, and Invalid for a poster that is not one
    of the candidates."""
    video = repository.get(video_id)
    if video is None:
        raise NotFound()
    if video.owner_id != user_id:
        _visible(video, user_id=user_id)
        raise exceptions.Forbidden("Only the owner can edit this video.")
    fields = {name: changes[name] for name in ("title", "description", "visibility") if name in changes}
    if "pets" in changes:
        fields["pets"] = tagging.owned(user_id, changes["pets"])
    if "poster" in changes:
        fields |= _poster_fields(video, changes["poster"])

    def edit(current: Video) -> Video:
        return replace(current, **fields, updated_at=datetime.now(UTC))

    try:
        edited = listings.change(video_id, edit, read=video)
    except listings.Conflict:
        if "pets" in fields:
            tagging.owned(user_id, changes["pets"])  # a pet changed hands meanwhile: say so
        raise
    if edited is None:
        raise NotFound()
    log.info("edited", extra={"video_id": video_id, "fields": sorted(fields)})
    return edited


def _poster_fields(video: Video, number: int) -> dict:
    if not 0 <= number < video.thumbnails:
        raise exceptions.Invalid.field("poster", f"Choose a thumbnail from 0 to {video.thumbnails - 1}."
                                       if video.thumbnails else "This video has no thumbnails to choose from yet.")
    return {
        "poster_key": storage.media_key(video.id, f"poster-{number}{video.image_suffix}"),
        "card_key": storage.media_key(video.id, f"card-{number}{video.image_suffix}"),
    }


def retag_pet(*, video_id: str, tag: PetTag) -> None:
    """Show a pet's new name or species (`tag`) on a video tagged with it, and in its listings."""

    def edit(video: Video) -> Video | None:
        if all(current.id != tag.id or current == tag for current in video.pets):
            return None
        pets_now = tuple(tag if current.id == tag.id else current for current in video.pets)
        return replace(video, pets=pets_now, updated_at=datetime.now(UTC))

    listings.change(video_id, edit)


def untag_pet(*, video_id: str, pet_id: str) -> bool:
    """Take a pet off a video (the pet is being deleted). False when the video is gone (or was
    not tagged with it): the pet should forget it."""

    def edit(video: Video) -> Video | None:
        if all(tag.id != pet_id for tag in video.pets):
            return None
        kept = tuple(tag for tag in video.pets if tag.id != pet_id)
        return replace(video, pets=kept, updated_at=datetime.now(UTC))

    return listings.change(video_id, edit) is not None


def feed_page(*, cursor: str | None = None, limit: int = PAGE_SIZE) -> Page:
    return repository.feed(limit=limit, cursor=cursor)


def videos_of(*, owner_id: str, cursor: str | None = None, limit: int = PAGE_SIZE) -> Page:
    return repository.by_owner(owner_id, limit=limit, cursor=cursor)


def remove_account(*, user_id: str) -> None:
    """Everything PetTube keeps of a person outside the database goes, before their account's
    row does: their videos (each as if deleted, so every app forgets it), what their uploads
    left in S3, then `signals.account_deleted` for each app to remove the rest of theirs. Safe
    to run again after a failure."""
    cursor = None
    while True:
        page = repository.by_owner(user_id, limit=100, cursor=cursor)
        for video in page.items:
            remove_video(video_id=video.id)
        if not (cursor := page.next_cursor):
            break
    storage.delete_uploads_of(user_id)
    signals.account_deleted.send(sender=Video, user_id=user_id)
    log.info("account removed", extra={"owner_id": user_id})


def public_videos_of(*, owner_id: str, cursor: str | None = None, limit: int = PAGE_SIZE) -> Page:
    return repository.public_by_owner(owner_id, limit=limit, cursor=cursor)


def public_videos_before(*, owner_id: str, before: str, limit: int) -> list[Video]:
    """`owner_id`'s ready public videos published at or before the stamp `before`, newest first
    (one Query; for lists merged from several, such as the Following feed)."""
    return repository.public_by_owner_before(owner_id, before=before, limit=limit)


def videos_by_id(*, video_ids: list[str]) -> dict[str, Video]:
    """The videos among `video_ids` that exist, by id, as they are now (consistent reads: a list
    that copied them elsewhere checks them here before showing them)."""
    return repository.many(video_ids)


def visible_video(*, video_id: str, user_id: str | None) -> Video:
    """A video as `user_id` may see it: ready public and unlisted ones for everybody (an
    unlisted one by its link), private or unfinished ones only for their owner; a video hidden
    after reports only for its owner."""
    return _visible(repository.get(video_id), user_id=user_id)


def viewing(*, video_id: str, user_id: str | None) -> "watching.Viewing":
    """`visible_video`, and what the apps registered in videos/along.py read along with it for
    `user_id`, in one DynamoDB round trip (a BatchGetItem; a GetItem for someone signed out)."""
    extras = along.registered()
    if user_id is None:
        return watching.Viewing(video=visible_video(video_id=video_id, user_id=None),
                       along={extra.name: extra.signed_out for extra in extras})
    wanted = {extra.name: extra.ids(video_id, user_id) for extra in extras}
    video, found = repository.get_along(video_id, others=[item_id for ids in wanted.values() for item_id in ids])
    video = _visible(video, user_id=user_id)
    return watching.Viewing(
        video=video,
        along={extra.name: extra.read({item_id: found[item_id] for item_id in wanted[extra.name] if item_id in found},
                                      video_id, user_id) for extra in extras},
    )


def ready_video(*, video_id: str, user_id: str | None) -> Video:
    """A video `user_id` may see that is ready and not hidden: one people can like, comment on
    and report. Raises NotFound."""
    video = visible_video(video_id=video_id, user_id=user_id)
    if video.status != READY or video.hidden_at:
        raise NotFound()
    return video


def may_see(video: Video, *, user_id: str | None) -> bool:
    """Whether `user_id` may see `video` (visible_video's rule, for videos read in a batch)."""
    return video.owner_id == user_id or (
        video.status == READY and video.visibility != PRIVATE and not video.hidden_at
    )


def _visible(video: Video | None, *, user_id: str | None) -> Video:
    if video is None or not may_see(video, user_id=user_id):
        raise NotFound()
    return video


def playlist(video: Video, name: str) -> str | None:
    """A playable video's HLS playlist `name` as a browser gets it: the master playlist, made
    from the video's ladder (and, once added, its AV1 rungs), or a rung's (or the audio's) with every segment URI as
    videos/delivery.py says (presigned for SEGMENT_EXPIRY_SECONDS; behind CloudFront, plain URLs):
    while it is processing, an EVENT playlist of its live segments (from its item); once ready,
    the stored VOD playlist. None when it has no such playlist (yet)."""
    if not video.playable:
        return None
    rungs = ladder.rungs_from_json(video.rungs)
    av1_rungs = ladder.rungs_from_json(video.av1_rungs) if video.status == READY else []
    if name == delivery.MASTER:
        return delivery.master_playlist(video)
    if caption := _caption_named(video, name):
        return delivery.subtitles_playlist(video, caption.lang)
    if name not in {rung.name for rung in [*rungs, *av1_rungs]} | ({hls.AUDIO} if video.has_audio else set()):
        return None
    if video.status == READY:
        text = storage.read_text(storage.hls_key(video.id, f"{name}.m3u8"))
    else:
        durations = video.live_durations(hls.AUDIO if name == hls.AUDIO else hls.VIDEO)
        segments = [hls.Segment(number, duration) for number, duration in enumerate(durations)]
        text = hls.media_playlist(name, segments, complete=False) if segments else None
    if text is None:
        return None
    return hls.signed(text, delivery.segment_urls(video))


def _caption_named(video: Video, playlist: str) -> Caption | None:
    """The caption whose subtitles playlist is `playlist`, if the video is ready and has it."""
    if video.status != READY:
        return None
    return next((caption for caption in video.captions if hls.subtitles_name(caption.lang) == playlist), None)


def caption_file(video: Video, lang: str) -> str | None:
    """The video's WebVTT captions in `lang`, as players read them (with HLS's timestamp map)."""
    if video.status != READY or not any(caption.lang == lang for caption in video.captions):
        return None
    text = storage.read_text(storage.caption_key(video.id, lang))
    return hls.timestamp_map(text) if text is not None else None


def seek_previews(video: Video) -> str | None:
    """The video's storyboard as a browser gets it: the stored WebVTT with every sprite's URI
    presigned (the bucket is private). None when it has none (a video published before
    storyboards, or not ready)."""
    if video.status != READY or not video.storyboard_key:
        return None
    text = storage.read_text(video.storyboard_key)
    if text is None:
        return None
    return webvtt.signed(text, storyboard.IMAGE_URI, lambda uri: storage.presigned_get(storage.media_key(video.id, uri)))


# --- for the other apps (community: likes, views, the ranking, reports) ---------------------


def counter_action(*, video_id: str, counter: str, delta: int, watchable: bool = False) -> dynamo.Action:
    """A transaction action adding `delta` to a ready video's `likes` or `views`, for another
    app's repository to run with its own (its condition fails when the video is gone or not
    ready, and with `watchable` also when it is private or hidden)."""
    return repository.counter_action(video_id, counter=counter, delta=delta, watchable=watchable)


def published_since(*, since: datetime) -> list[Video]:
    return repository.published_since(since)


def hide_video(*, video_id: str) -> Video | None:
    """Hide a video pending review (reports): out of the feed, profiles, species, pet and search
    listings (through listings.change) and off its page for everyone but its owner. None if it
    is gone or already hidden."""
    now = dynamo.now()
    hidden = listings.change(
        video_id, lambda video: None if video.hidden_at else replace(video, hidden_at=now, updated_at=now)
    )
    if hidden:
        log.info("hidden pending review", extra={"video_id": video_id})
    return hidden


def restore_video(*, video_id: str) -> Video | None:
    """Undo `hide_video`: the video returns to every listing its state and visibility call for."""
    now = dynamo.now()
    return listings.change(
        video_id, lambda video: replace(video, hidden_at=None, updated_at=now) if video.hidden_at else None
    )


def remove_video(*, video_id: str) -> None:
    """Delete a video and its objects whoever owns it (staff, after reviewing reports; its
    owner's account going)."""
    for _ in range(listings.ATTEMPTS):
        video = repository.get(video_id)
        if video is None:
            return
        try:
            listings.save(video, None)  # with its listing entries and pet tags
            break
        except dynamo.ConditionFailed:
            continue
    else:
        raise Conflict()
    _deleted(video)
    log.info("removed after review", extra={"video_id": video.id})
