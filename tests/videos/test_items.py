"""How a video is stored (videos/items.py): every field comes back as it went in; fields whose
Python names changed keep their stored names, so items, cards and ranking copies written before
read the same; a card carries nothing that would put a listing entry in a video index."""

from datetime import UTC, datetime

from pettube import dynamo
from videos import items
from videos.domain import PROCESSING, READY, PetTag, Video

NOW = datetime(2026, 11, 30, 12, 0, 0, 123456, tzinfo=UTC)


def video(**changes) -> Video:
    fields = dict(
        id="abcdefghijk", owner_id="7", owner_name="Ana", title="Rex", description="Good boy.", species="dog",
        status=READY, created_at=NOW, updated_at=NOW, published_at=NOW, duration=12.5, width=1280, height=720,
        video_key="media/abcdefghijk/video.mp4", poster_key="media/abcdefghijk/poster-1.jpg",
        card_key="media/abcdefghijk/card-1.jpg", thumbnails=4, likes=3, views=9,
        pets=(PetTag(id="petpetpet01", name="Rex", species="dog"), PetTag(id="petpetpet02", name="Mimi", species="cat")),
    )
    return Video(**fields | changes)


def test_every_field_comes_back_as_it_went_in():
    encoding = video(status=PROCESSING, published_at=None, jobs=4, jobs_done=1, chunk_seconds=60, has_audio=1,
                     source_fps=29.97, rungs='[{"name": "360p"}]', encoded_seconds=12.0, attempts=2,
                     live_segments='{"video": [4.0]}', playable_at=NOW, due_at=NOW, upload_id="u-1", part_size=8)

    assert items.from_item(items.to_item(video())) == video()
    assert items.from_item(items.to_item(video(wide_card_width=480))) == video(wide_card_width=480)
    assert items.from_item(items.to_item(encoding)) == encoding


def test_renamed_fields_keep_the_names_they_were_stored_with():
    item = items.to_item(video(status=PROCESSING, published_at=None, jobs=4, jobs_done=1))

    assert (item["pet"], item["parts"], item["parts_done"]) == ({"S": "dog"}, {"N": "4"}, {"N": "1"})
    assert not {"species", "jobs", "jobs_done"} & set(item)


def test_an_item_written_before_the_renames_reads_the_same():
    written_before = {  # as the worker of the last round stored a video it was encoding
        "id": {"S": "abcdefghijk"}, "owner_id": {"S": "7"}, "owner_name": {"S": "Ana"}, "title": {"S": "Rex"},
        "description": {"S": ""}, "pet": {"S": "cat"}, "status": {"S": "processing"},
        "created_at": {"S": "2026-11-30T12:00:00.123456Z"}, "updated_at": {"S": "2026-11-30T12:00:00.123456Z"},
        "parts": {"N": "3"}, "parts_done": {"N": "2"}, "pending": {"S": "processing"},
    }

    read = items.from_item(written_before)

    assert (read.species, read.jobs, read.jobs_done, read.created_at) == ("cat", 3, 2, NOW)


def test_a_card_shows_the_video_and_joins_no_video_index():
    card = items.card(video())

    for index in ("feed", "by-owner", "pending", "owner-public"):  # an item is in an index with both its keys
        assert not set(dynamo.INDEXES[index]) <= set(card), index
    assert "id" not in card
    shown = items.from_card({**card, "id": {"S": "species#dog#abcdefghijk"}})
    assert (shown.id, shown.owner_id, shown.title, shown.species, shown.pets) == (
        "abcdefghijk", "7", "Rex", "dog", video().pets)


def test_a_ranking_copy_reads_back_as_the_video():
    assert items.from_snapshot(items.snapshot(video())) == video()


def test_a_card_keeps_what_its_pictures_need_and_an_older_card_reads_without_a_wide_card():
    card = items.card(video(card_key="media/abcdefghijk/card-1.webp", wide_card_width=480))
    shown = items.from_card({**card, "id": {"S": "species#dog#abcdefghijk"}})
    assert (shown.card_key, shown.wide_card_key) == ("media/abcdefghijk/card-1.webp", "media/abcdefghijk/card-1-480.webp")

    older = items.from_card({**items.card(video()), "id": {"S": "species#dog#abcdefghijk"}})
    assert (older.wide_card_width, older.wide_card_key) == (None, None)
