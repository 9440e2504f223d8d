"""Chapters from a description and a link's start time (videos/timecodes.py), in the API and on
the watch page: never a 500, whatever `t` holds."""

import pytest

from tests import factories
from videos import timecodes
from videos.timecodes import Chapter

pytestmark = pytest.mark.django_db

DESCRIPTION = "Rex at the park.\n0:00 Intro\n0:05 The jump\n1:02:03 - Much later\nThanks for watching!"


def test_timestamped_lines_are_chapters():
    assert timecodes.chapters(DESCRIPTION) == [Chapter(0, "Intro"), Chapter(5, "The jump"), Chapter(3723, "Much later")]


@pytest.mark.parametrize("description", [
    "0:00 Intro\n0:05 The jump",  # fewer than three
    "0:01 Intro\n0:05 The jump\n0:09 End",  # the first not at 0:00
    "0:00 Intro\n0:09 The jump\n0:05 End",  # not ascending
    "0:00 Intro\n0:05 The jump\n0:05 Again",  # not strictly ascending
    "0:00 Intro\n0:05\n0:09 End",  # a time without a title is no chapter: two left
    "",
])
def test_what_youtube_would_not_count_gives_no_chapters(description):
    assert timecodes.chapters(description) == []


def test_a_chapter_past_the_end_gives_no_chapters():
    assert timecodes.chapters("0:00 A\n0:01 B\n0:03 C", duration=2.5) == []
    assert len(timecodes.chapters("0:00 A\n0:01 B\n0:02 C", duration=2.5)) == 3


@pytest.mark.parametrize("value, expected", [
    ("75", 75), ("75.5", 75.5), ("75s", 75), ("1m15s", 75), ("1m", 60), ("0h9m59s", 599), ("1h2m3s", 0), (" 1M15S ", 75),
    ("0", 0), ("-5", 0), ("601", 0), ("600", 0), ("abc", 0), ("1m15", 0), ("", 0), (None, 0), ("1e3", 0),
    ("nan", 0), ("inf", 0), ("9" * 400, 0), ("\x00", 0), ("m", 0), ("s", 0), ("h", 0),
])
def test_a_start_time_is_where_the_link_says_or_the_start(value, expected):
    assert timecodes.start_time(value, duration=600) == expected


def test_the_api_lists_chapters(aws, client):
    video = factories.published(description=DESCRIPTION, duration=4000)
    assert client.get(f"/api/videos/{video.id}/").json()["chapters"] == [
        {"start": 0, "title": "Intro"}, {"start": 5, "title": "The jump"}, {"start": 3723, "title": "Much later"},
    ]
    shorter = factories.published(description=DESCRIPTION, duration=60)  # "Much later" is past its end
    assert client.get(f"/api/videos/{shorter.id}/").json()["chapters"] == []


def test_the_watch_page_lists_chapters_that_seek(aws, client):
    video = factories.published(description=DESCRIPTION, duration=4000)

    page = client.get(f"/v/{video.id}/").content.decode()

    assert ('<button type="button" data-seek="5" aria-controls="player"><span class="chapter-time">0:05</span> '
            "The jump</button>") in page


@pytest.mark.parametrize("t, start", [("1", "1"), ("1s", "1"), ("0m1s", "1"), ("7", "0"), ("x", "0"), ("%00", "0"),
                                      ("1" * 5000, "0"), ("-1", "0")])
def test_the_watch_page_starts_where_t_says(aws, client, t, start):
    video = factories.published()

    page = client.get(f"/v/{video.id}/", {"t": t})

    assert page.status_code == 200
    assert f'data-start="{start}"' in page.content.decode()
