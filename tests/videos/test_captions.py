"""Captions (videos/captions.py, videos/webvtt.py): the owner adds SRT or WebVTT files, one per
language, checked (a 400 naming the wrong line) and stored as WebVTT; players get them as a
<track> and as an HLS SUBTITLES rendition; bad input is a 4xx JSON answer, never a 500."""

import re
import subprocess

import pytest
import requests
from django.contrib.auth import get_user_model

from tests import factories
from videos import hls, processing, storage, webvtt
from videos.transcode import ffmpeg_binary

pytestmark = pytest.mark.django_db

SRT = "1\r\n00:00:00,500 --> 00:00:01,500\r\nWoof!\r\n\r\n2\r\n00:00:01,600 --> 00:00:02,000\r\nGood <i>boy</i>.\r\n"
VTT = "WEBVTT\n\nNOTE a comment\n\nintro\n00:00.000 --> 00:01.000 align:start\nHello\n"


def add(client, video_id, **body):
    return client.post(f"/api/videos/{video_id}/captions/", data={"lang": "en", "label": "English", "text": VTT} | body,
                       content_type="application/json")


@pytest.fixture
def mine(aws, signed_in, user):
    return factories.published(str(user.pk))


SRT_AS_WEBVTT = ("WEBVTT\n\n00:00:00.500 --> 00:00:01.500\nWoof!\n\n"
                 "00:00:01.600 --> 00:00:02.000\nGood <i>boy</i>.\n")


def test_an_srt_file_becomes_webvtt_listed_with_the_video(mine, client):
    answer = add(client, mine.id, lang="pt-br", label="Português (Brasil)", text=SRT)

    assert answer.status_code == 201
    assert answer.json() == {"lang": "pt-BR", "label": "Português (Brasil)", "url": f"/v/{mine.id}/captions/pt-BR.vtt"}
    assert storage.read_text(storage.caption_key(mine.id, "pt-BR")) == SRT_AS_WEBVTT
    assert client.get(f"/api/videos/{mine.id}/").json()["captions"] == [answer.json()]
    served = client.get(answer.json()["url"])
    assert served["Content-Type"].startswith("text/vtt")
    cues = webvtt.read(served.content.decode())  # what a browser reads: the same cues
    assert [(cue.start, cue.text) for cue in cues] == [(0.5, "Woof!"), (1.6, "Good <i>boy</i>.")]


def test_the_same_language_again_replaces_it_and_delete_removes_it(mine, client):
    add(client, mine.id)
    add(client, mine.id, lang="fr", label="Français")
    again = add(client, mine.id, lang="EN", label="English (CC)", text=SRT)

    assert again.status_code == 201
    listed = client.get(f"/api/videos/{mine.id}/").json()["captions"]
    assert [(caption["lang"], caption["label"]) for caption in listed] == [("en", "English (CC)"), ("fr", "Français")]
    assert storage.read_text(storage.caption_key(mine.id, "en")) == SRT_AS_WEBVTT

    assert client.delete(f"/api/videos/{mine.id}/captions/en/").status_code == 204
    assert [caption["lang"] for caption in client.get(f"/api/videos/{mine.id}/").json()["captions"]] == ["fr"]
    assert storage.read_text(storage.caption_key(mine.id, "en")) is None
    assert client.get(f"/v/{mine.id}/captions/en.vtt").status_code == 404
    assert client.delete(f"/api/videos/{mine.id}/captions/en/").status_code == 404


def test_deleting_the_video_removes_its_captions(mine, client):
    add(client, mine.id)

    assert client.delete(f"/api/videos/{mine.id}/").status_code == 204
    assert storage.read_text(storage.caption_key(mine.id, "en")) is None


@pytest.mark.parametrize("text, line, words", [
    ("Just some words\nand more", 1, "neither WebVTT"),
    ("<html><body>captions</body></html>", 1, "neither WebVTT"),
    ("WEBVTT\n\n00:01.000 --> 00:00.500\nBackwards", 3, "ends before it starts"),
    ("WEBVTT\n\n00:00.000 --> 00:01.000\nfine\n\n00:01.000 -> 00:02.000\nbroken arrow", 7, "timing line"),
    ("1\n00:00:00,000 --> 00:00:01,000\nfine\n\nx\n00:00:01,000 --> 00:00:02,000\nno number", 5, "number"),
    ("WEBVTT\n\n00:00.000 --> 00:01.000\n", 3, "no text"),
    ("WEBVTT\n\n00:00.000 --> 00:01.000 colour:red\nhi", 3, "settings"),
    ("WEBVTT\n", None, "no cues"),
])
def test_a_file_that_is_not_captions_is_refused_naming_the_line(mine, client, text, line, words):
    answer = add(client, mine.id, text=text)

    assert answer.status_code == 400
    message = answer.json()["errors"]["text"][0]
    assert words in message
    if line:
        assert f"Line {line}:" in message
    assert client.get(f"/api/videos/{mine.id}/").json()["captions"] == []


def test_a_file_over_a_megabyte_is_refused(mine, client):
    cue = "00:00.000 --> 00:01.000\n" + "woof " * 200 + "\n\n"
    answer = add(client, mine.id, text="WEBVTT\n\n" + cue * (1024**2 // len(cue) + 1))

    assert answer.status_code == 400
    assert "larger than 1 MB" in answer.json()["errors"]["text"][0]


@pytest.mark.parametrize("body, field", [
    ({"lang": 12}, "lang"),
    ({"label": 3.5}, "label"),
    ({"text": ["WEBVTT"]}, "text"),
    ({"text": {"deep": {"er": {}}}}, "text"),
    ({"lang": "english"}, "lang"),
    ({"lang": "en\r\nX-Injected: 1"}, "lang"),
    ({"lang": "../../etc"}, "lang"),
    ({"label": "\u200b\u200b"}, "label"),
    ({"label": "   "}, "label"),
    ({"label": "English\r\nX-Injected: 1"}, "label"),
    ({"label": "x" * 41}, "label"),
])
def test_bad_fields_are_a_400_naming_them(mine, client, body, field):
    answer = add(client, mine.id, **body)

    assert answer.status_code == 400
    assert field in answer.json()["errors"]


def test_deep_nesting_and_not_json_are_400s(mine, client):
    deep = '{"lang": ' + "[" * 100_000 + "]" * 100_000 + "}"
    for body in (deep, "WEBVTT", '["lang"]'):
        answer = client.post(f"/api/videos/{mine.id}/captions/", data=body, content_type="application/json")
        assert answer.status_code == 400 and answer.json()["error"]


def test_only_the_owner_may_change_captions(aws, client, user):
    theirs = factories.published("someone-else")
    private = factories.published("someone-else", visibility="private")
    client.force_login(user)

    assert add(client, theirs.id).status_code == 403
    assert add(client, private.id).status_code == 404
    assert client.delete(f"/api/videos/{theirs.id}/captions/en/").status_code == 403
    client.logout()
    assert add(client, theirs.id).status_code == 401
    assert client.get(f"/api/videos/{theirs.id}/").json()["captions"] == []


def test_at_most_twenty_languages(mine, client):
    for number in range(20):
        assert add(client, mine.id, lang=f"en-x{number:02d}").status_code == 201

    assert add(client, mine.id, lang="fr").status_code == 400
    assert add(client, mine.id, lang="en-x00", label="Again").status_code == 201  # replacing is fine


def test_captions_are_a_subtitles_rendition_whose_cues_line_up_with_the_segments(aws, client, make_clip, user):
    video, key = factories.uploaded(make_clip("small"), owner_id=str(user.pk))
    processing.ingest_upload(key=key)
    client.force_login(user)
    add(client, video.id, label='The "best" English')

    master = client.get(f"/v/{video.id}/hls/master.m3u8").content.decode()
    assert ('#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subtitles",NAME="The \'best\' English",LANGUAGE="en",'
            'DEFAULT=NO,AUTOSELECT=YES,URI="subtitles-en.m3u8"') in master
    assert all('SUBTITLES="subtitles"' in line for line in master.splitlines() if line.startswith("#EXT-X-STREAM-INF"))
    playlist = client.get(f"/v/{video.id}/hls/subtitles-en.m3u8").content.decode()
    assert "#EXTINF:3.000,\n../captions/en.vtt\n#EXT-X-ENDLIST" in playlist
    served = client.get(f"/v/{video.id}/captions/en.vtt").content.decode()
    mapped = int(re.search(r"X-TIMESTAMP-MAP=MPEGTS:(\d+),LOCAL:00:00:00.000", served)[1])
    # The map puts the captions' 0 where the segments' time starts.
    segment = requests.get(storage.presigned_get(storage.hls_key(video.id, "240p/00000.ts")), timeout=10).content
    probe = subprocess.run([ffmpeg_binary(), "-hide_banner", "-f", "mpegts", "-i", "-"], input=segment,
                           capture_output=True).stderr.decode()
    assert mapped == hls.FIRST_PTS == round(float(re.search(r"start: ([0-9.]+)", probe)[1]) * 90_000)


def test_aws_calls_of_the_new_requests(mine, client):
    from tests.aws_calls import counted

    def calls(method, path, **kwargs):
        with counted() as made:
            assert getattr(client, method)(path, **kwargs).status_code < 300
        return sorted(made)

    body = {"lang": "en", "label": "English", "text": VTT}
    assert calls("post", f"/api/videos/{mine.id}/captions/", data=body, content_type="application/json") == [
        "dynamodb.GetItem", "dynamodb.TransactWriteItems", "s3.PutObject"]
    assert calls("get", f"/v/{mine.id}/captions/en.vtt") == ["dynamodb.GetItem", "s3.GetObject"]
    assert calls("get", f"/v/{mine.id}/hls/subtitles-en.m3u8") == ["dynamodb.GetItem"]
    assert calls("get", f"/v/{mine.id}/?t=1") == ["dynamodb.BatchGetItem", "dynamodb.Query"]  # the owner's: + the edit form's pets
    client.logout()
    assert calls("get", f"/v/{mine.id}/?t=1") == ["dynamodb.GetItem"]  # captions and chapters come with the item
    client.force_login(get_user_model().objects.get(pk=mine.owner_id))
    assert calls("delete", f"/api/videos/{mine.id}/captions/en/") == [
        "dynamodb.GetItem", "dynamodb.TransactWriteItems", "s3.DeleteObjects"]
