"""Caption files of a video: its owner adds one per language (SRT or WebVTT, checked, stored in
S3 as WebVTT) and removes them; the video's item lists them (`captions`), so the watch page,
the API and the master playlist know them without another read."""

import re
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime

from pettube import exceptions
from videos import delivery, listings, services, storage, webvtt
from videos.domain import Caption, Video

MAX_BYTES = 1024 * 1024
MAX_LANGUAGES = 20
MAX_LABEL = 40
# A BCP 47 language tag as people use them: a language (`en`, `pt`), then subtags (`pt-BR`,
# `zh-Hant-TW`, `es-419`).
_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,4}")
_VISIBLE = {"L", "N", "P", "S"}  # letters, numbers, punctuation, symbols: not separators or format characters


def add(*, video_id: str, user_id: str, lang: str, label: str, text: str) -> Caption:
    """Add the caption file `text` in language `lang` (again for a language: replaces it) to the
    owner's video. Raises Invalid naming what is wrong (for the file, the line), NotFound,
    Forbidden."""
    video = _own(video_id, user_id)
    caption = Caption(lang=language_tag(lang), label=_label(label))
    normalised = webvtt.write(_cues(text))
    others = tuple(other for other in video.captions if other.lang != caption.lang)
    if len(others) >= MAX_LANGUAGES:
        raise exceptions.Invalid.field("lang", f"A video can have captions in at most {MAX_LANGUAGES} languages.")
    storage.put_text(storage.caption_key(video.id, caption.lang), normalised, content_type=webvtt.MIME_TYPE)
    saved = _save(video, lambda current: tuple(sorted(
        (*(other for other in current.captions if other.lang != caption.lang), caption), key=lambda one: one.lang)))
    delivery.republish(saved)
    return caption


def remove(*, video_id: str, user_id: str, lang: str) -> None:
    """Remove the owner's captions in `lang`. Raises NotFound (also for a language it has none in), Forbidden."""
    video = _own(video_id, user_id)
    tag = lang.lower()
    if not any(caption.lang.lower() == tag for caption in video.captions):
        raise exceptions.NotFound("This video has no captions in that language.")
    saved = _save(video, lambda current: tuple(caption for caption in current.captions if caption.lang.lower() != tag))
    storage.delete(*(storage.caption_key(video.id, caption.lang) for caption in video.captions
                     if caption.lang.lower() == tag))
    delivery.republish(saved)


def language_tag(value: str) -> str:
    """`value` as a BCP 47 tag in its usual case (`pt-BR`, `zh-Hant`). Raises Invalid."""
    if not _TAG.fullmatch(value):
        raise exceptions.Invalid.field("lang", "Give the language as a BCP 47 tag, such as en, fr or pt-BR.")
    language, *subtags = value.split("-")
    return "-".join([language.lower(), *(_subtag_case(subtag) for subtag in subtags)])


def _subtag_case(subtag: str) -> str:
    if len(subtag) == 2 and subtag.isalpha():
        return subtag.upper()  # a region: BR
    if len(subtag) == 4 and subtag.isalpha():
        return subtag.title()  # a script: Hant
    return subtag.lower()


def _label(value: str) -> str:
    label = value.strip()
    if not any(unicodedata.category(character)[0] in _VISIBLE for character in label):
        raise exceptions.Invalid.field("label", "Give the captions a label people can read, such as English.")
    if any(unicodedata.category(character) in {"Cc", "Cf", "Zl", "Zp"} for character in label):
        raise exceptions.Invalid.field("label", "The label cannot hold line breaks or invisible characters.")
    if len(label) > MAX_LABEL:
        raise exceptions.Invalid.field("label", f"Keep the label to {MAX_LABEL} characters.")
    return label


def _cues(text: str) -> list[webvtt.Cue]:
    if len(text.encode("utf-8", errors="replace")) > MAX_BYTES:
        raise exceptions.Invalid.field("text", f"The caption file is larger than {MAX_BYTES // 1024**2} MB.")
    try:
        return webvtt.read(text)
    except webvtt.InvalidCaptions as invalid:
        raise exceptions.Invalid.field("text", f"This is not a caption file we can read. {invalid}") from None


def _own(video_id: str, user_id: str) -> Video:
    video = services.visible_video(video_id=video_id, user_id=user_id)
    if video.owner_id != user_id:
        raise exceptions.Forbidden("Only the owner can change this video's captions.")
    return video


def _save(video: Video, captions) -> Video:
    """Save `captions(current video)` as the video's captions (read again if it changed meanwhile); the video saved."""
    def edit(current: Video) -> Video:
        return replace(current, captions=captions(current), updated_at=datetime.now(UTC))

    if (saved := listings.change(video.id, edit, read=video)) is None:
        raise services.NotFound()
    return saved
