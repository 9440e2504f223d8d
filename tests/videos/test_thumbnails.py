"""Candidate thumbnails: made by the worker from frames spread over the video, the sharpest by
default (not a black or blurred one), and the owner picks another; the feed's cards offer the
card and its wider copy (videos published before them, their poster)."""

import re
import subprocess

import pytest

from tests import factories
from videos import ladder, processing, storage, thumbnails, transcode
from videos.domain import wide_card_name

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("clip", ["black_blur_sharp", "black_blur_sharp_hd"])
def test_candidates_are_spread_over_the_video_and_the_sharpest_is_the_default(make_clip, tmp_path, clip):
    found = thumbnails.candidates(make_clip(clip), tmp_path, thumbnails.spread(4.0))

    assert [candidate.at for candidate in found] == [0.5, 1.5, 2.5, 3.5]
    assert found[0].sharpness == 0  # black
    assert max(found[1].sharpness, found[3].sharpness) < found[2].sharpness / 10  # blurred against sharp
    assert thumbnails.sharpest(found) == 2
    for candidate in found:
        for image in (candidate.poster, candidate.card, candidate.wide_card):
            assert image.read_bytes()[8:12] == b"WEBP" and image.suffix == ".webp"
            assert decoded_size(image)  # a whole picture decodes


def test_poster_frames_of_a_longer_video_are_taken_just_after_keyframes():
    # Keyframes at 0, 1, 4, 8, 12…: each frame then decodes from the keyframe before it, not 4 s back.
    assert ladder.just_after_keyframes(thumbnails.spread(60)) == [4.05, 20.05, 36.05, 52.05]
    assert ladder.just_after_keyframes(thumbnails.spread(16)) == [1.05, 4.05, 8.05, 12.05]
    assert ladder.just_after_keyframes(thumbnails.spread(6)) == thumbnails.spread(6)  # else two would be one


def decoded_size(path) -> tuple[int, int]:
    """Width and height of an image as ffmpeg decodes it, checked against the pixels it decoded."""
    result = subprocess.run([transcode.ffmpeg_binary(), "-hide_banner", "-nostdin", "-i", str(path),
                             "-f", "rawvideo", "-pix_fmt", "gray", "-"], capture_output=True, check=True)
    width, height = map(int, re.search(rb"Video: webp[^\n]*?, (\d+)x(\d+)", result.stderr).groups())
    assert len(result.stdout) == width * height
    return width, height


def test_portrait_candidates_stay_portrait_and_cards_are_card_sized(make_clip, tmp_path):
    found = thumbnails.candidates(make_clip("portrait"), tmp_path, thumbnails.spread(6.0))

    assert decoded_size(found[0].poster) == (720, 1280)
    assert decoded_size(found[0].card) == (thumbnails.CARD_WIDTH, 568)
    assert decoded_size(found[0].wide_card) == (thumbnails.WIDE_CARD_WIDTH, 854)
    assert found[0].wide_card.name == "card-0-480.webp" == wide_card_name(found[0].card.name, 480)


def test_ingest_publishes_the_sharpest_candidate_and_the_owner_picks_another(aws, client, user, make_clip):
    video, key = factories.uploaded(make_clip("black_blur_sharp"), owner_id=str(user.pk))

    ready = processing.ingest_upload(key=key)

    assert ready.poster_key == f"media/{video.id}/poster-2.webp"
    assert ready.card_key == f"media/{video.id}/card-2.webp"
    assert ready.wide_card_key == f"media/{video.id}/card-2-480.webp"
    assert all(storage.size_of(f"media/{video.id}/{name}.webp")
               for n in range(4) for name in (f"poster-{n}", f"card-{n}", f"card-{n}-480"))
    client.force_login(user)
    watch = client.get(f"/v/{video.id}/").content.decode()
    assert len(re.findall(r'<input type="radio" name="poster" value="\d"', watch)) == 4
    assert '<input type="radio" name="poster" value="2" checked>' in watch
    assert len(client.get(f"/api/videos/{video.id}/").json()["thumbnails"]) == 4

    chosen = client.patch(f"/api/videos/{video.id}/", data={"poster": 3}, content_type="application/json")

    assert chosen.status_code == 200
    assert f"media/{video.id}/poster-3.webp?" in chosen.json()["thumbnail_url"]
    feed = client.get("/").content.decode()
    srcset = re.search(r'srcset="([^"]*)"', feed)[1]
    assert re.fullmatch(rf"\S*/media/{video.id}/card-3\.webp\?\S* 320w, \S*/media/{video.id}/card-3-480\.webp\?\S* 480w",
                        srcset)
    assert "/poster-" not in feed
    client.logout()
    assert "thumbnails" not in client.get(f"/api/videos/{video.id}/").json()



def test_a_video_published_with_jpeg_posters_keeps_them_when_the_owner_picks_another(aws, client, user):
    video = factories.published(str(user.pk))  # recorded as the worker did before WebP: poster-1.jpg
    client.force_login(user)

    chosen = client.patch(f"/api/videos/{video.id}/", data={"poster": 3}, content_type="application/json")

    assert chosen.status_code == 200
    assert f"media/{video.id}/poster-3.jpg?" in chosen.json()["thumbnail_url"]
    srcset = re.search(r'srcset="([^"]*)"', client.get("/").content.decode())[1]  # the poster, as before
    assert re.fullmatch(rf"\S*/media/{video.id}/card-3\.jpg\?\S* 320w, \S*/media/{video.id}/poster-3\.jpg\?\S* 640w",
                        srcset)
