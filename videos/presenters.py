"""How a video looks to the outside: JSON for the API, and the fields and pages of cards templates use."""

from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse

from pettube import lazy
from pettube.dynamo import InvalidCursor
from videos import delivery, storage

timecodes = lazy.module("videos.timecodes")  # the watch page's; not the cards' (pettube/lazy.py)
from videos.domain import FAILED, PROCESSING, READY, UPLOADING, Caption, Video


def media_url(video: Video, key: str | None) -> str | None:
    """The URL of one of a video's objects for whoever asks (videos/delivery.py: presigned, or
    the same for everyone on the media domain), or None when the video has no such object yet."""
    return delivery.url(video, key)


def with_media_cookies(response, video: Video, user_id: str | None):
    """`response`, setting the signed cookies its owner needs to play a video nobody else may
    watch through the media domain (none for anybody else, and none without CloudFront)."""
    for cookie in delivery.cookies(video, user_id):
        response.set_cookie(cookie.name, cookie.value, max_age=cookie.max_age, domain=cookie.domain,
                            path=cookie.path, secure=True, httponly=True, samesite="Lax")
    return response


def video_json(video: Video, *, liked: bool | None = None, for_owner: bool = False) -> dict:
    """The API's view of a video; `liked` is whether the person asking likes it (None: not
    looked up, as in lists). Its owner also gets the candidate thumbnails' URLs (to pick one
    with `PATCH {"poster": <index>}`)."""
    answer = {
        "id": video.id,
        "title": video.title,
        "description": video.description,
        "pet": video.species,
        "pets": [{"id": tag.id, "name": tag.name, "species": tag.species} for tag in video.pets],
        "visibility": video.visibility,
        "owner": video.owner_name,
        "owner_id": video.owner_id,
        "status": video.status,
        "error": video.error if video.status == FAILED else None,
        "duration": video.duration,
        "width": video.width,
        "height": video.height,
        "created_at": video.created_at.isoformat(),
        "published_at": video.published_at.isoformat() if video.published_at else None,
        "thumbnail_url": media_url(video, video.poster_key),
        "progress": progress(video),
        "playable": video.playable,
        "playback": {
            "mp4": media_url(video, video.video_key),
            "hls": master_playlist_url(video),
        },
        "storyboard": storyboard_url(video),
        "chapters": [{"start": chapter.start, "title": chapter.title} for chapter in chapters_of(video)],
        "captions": [caption_json(video.id, caption) for caption in video.captions],
        "likes": video.likes,
        "views": video.views,
        "liked": liked,
    }
    if for_owner:
        answer["thumbnails"] = [media_url(video, key) for key in thumbnail_keys(video)]
    return answer


def player(video: Video, user_id: str | None = None, *, start: str | None = None) -> dict:
    """What the player partial (templates/videos/_player.html) needs, on the watch page and the
    embed page: the master playlist, the MP4 and the poster (presigned, or on the media domain:
    no AWS call), whether the player fetches media with the cookies `with_media_cookies` sets
    for `user_id`, where to start (a link's `t`), the seek previews, captions and chapters."""
    chapters = chapters_of(video)
    return {
        "video_url": media_url(video, video.video_key),
        "poster_url": media_url(video, video.poster_key),
        "hls_url": master_playlist_url(video),
        "media_cookies": delivery.needs_cookies(video, user_id),
        "start": timecodes.start_time(start, duration=video.duration),
        "storyboard_url": storyboard_url(video),
        "captions": [caption_json(video.id, caption) for caption in video.captions],
        "chapters": chapters,
        "chapter_marks": [{"time": chapter.start, "label": chapter.title} for chapter in chapters],
    }


def progress(video: Video) -> int | None:
    """Percent of the video encoded: 0 until processing starts, 100 once ready, None if failed."""
    if video.status == READY:
        return 100
    if video.status == PROCESSING and video.duration and video.encoded_seconds:
        return min(99, int(100 * video.encoded_seconds / video.duration))
    return 0 if video.status in (UPLOADING, PROCESSING) else None


def master_playlist_url(video: Video) -> str | None:
    """Where a player starts: the master playlist of the video's public copy on the media domain,
    or the web function's."""
    if not video.playable:
        return None
    return delivery.public_master_url(video) or reverse("hls-master", args=[video.id])


def storyboard_url(video: Video) -> str | None:
    """The seek previews' WebVTT on the site (the sprites it names are presigned when it is served)."""
    return reverse("storyboard", args=[video.id]) if video.storyboard_key and video.status == READY else None


def chapters_of(video: Video) -> "list[timecodes.Chapter]":
    return timecodes.chapters(video.description, duration=video.duration)


def caption_json(video_id: str, caption: Caption) -> dict:
    return {"lang": caption.lang, "label": caption.label, "url": reverse("caption", args=[video_id, caption.lang])}


def video_cards(videos: list[Video]) -> list[dict]:
    """Videos with their poster URLs (the card-sized ones too), for the grids of the HTML pages."""
    return [
        {"video": video, "poster_url": media_url(video, video.poster_key), "card_url": media_url(video, video.card_key),
         "wide_card_url": media_url(video, video.wide_card_key)}
        for video in videos
    ]


def thumbnail_keys(video: Video) -> list[str]:
    """The keys of the video's candidate posters, in time order."""
    return [storage.media_key(video.id, f"poster-{number}{video.image_suffix}") for number in range(video.thumbnails)]


def render_cards(request, template: str, read_page, **context):
    """A page of video cards (any app's list of videos): `read_page(cursor=...)` with the
    `?cursor=` of the link (400 for a cursor that was tampered with), rendered as `videos` and
    `next_cursor`."""
    try:
        page = read_page(cursor=request.GET.get("cursor") or None)
    except InvalidCursor:
        return HttpResponseBadRequest("This page link is not valid.")
    return render(request, template, {"videos": video_cards(page.items), "next_cursor": page.next_cursor, **context})
