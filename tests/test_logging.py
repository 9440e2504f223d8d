import json
import logging

from pettube.logging import JsonFormatter
from tests import factories
from videos import processing


def test_each_state_change_logs_one_json_line_with_the_video_id(aws, make_clip, caplog):
    caplog.set_level(logging.INFO, logger="pettube")
    video, key = factories.uploaded(make_clip("html"))

    processing.ingest_upload(key=key)

    lines = [json.loads(JsonFormatter().format(record)) for record in caplog.records if record.name.startswith("pettube")]
    about_video = [line for line in lines if line.get("video_id") == video.id]
    assert [line["message"] for line in about_video] == ["upload started", "processing", "failed"]
    assert about_video[-1]["level"] == "WARNING"
    assert "not a video" in about_video[-1]["reason"]
    assert about_video[-1]["time"].endswith("Z")
