from sharing import links
from videos import thumbnails


def test_picture_sizes_are_those_the_encoder_makes():
    assert links.POSTER_SHORT_SIDE == thumbnails.MAX_SHORT_SIDE
    assert links.CARD_WIDTH == thumbnails.CARD_WIDTH


def test_poster_size_keeps_the_aspect_ratio_with_a_short_side_of_at_most_720():
    assert links.poster_size(1920, 1080) == (1280, 720)
    assert links.poster_size(1080, 1920) == (720, 1280)
    assert links.poster_size(640, 360) == (640, 360)  # never scaled up
    assert links.poster_size(1279, 721) == (1278, 720)  # even, as ffmpeg's -2 makes it


def test_a_stable_picture_url_carries_its_objects_format(rf):
    from datetime import UTC, datetime

    from videos.domain import Video

    now = datetime.now(UTC)
    video = Video(id="AAAAAAAAAAA", owner_id="7", owner_name="user7", title="Rex", description="", species="dog",
                  status="ready", created_at=now, updated_at=now, width=640, height=360,
                  poster_key="media/AAAAAAAAAAA/poster-0.webp", card_key="media/AAAAAAAAAAA/card-0.webp")
    request = rf.get("/")

    assert links.poster(request, video) == links.Picture("http://testserver/v/AAAAAAAAAAA/poster.webp", 640, 360,
                                                         "image/webp")
    assert links.card(request, video) == links.Picture("http://testserver/v/AAAAAAAAAAA/card.webp", 320, 180,
                                                       "image/webp")
