"""The packaged functions, unpacked and run in a fresh interpreter the way Lambda runs them
(`handler.lambda_handler(event, context)`), against the emulated AWS."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from tests import factories
from tests.deploy import lambda_runtime as runtime
from videos import domain, encoding_jobs, ladder, repository, storage

pytestmark = pytest.mark.slow

MEDIA_BUCKET = "pettube-dev-media"
SWEEP_RULE = "arn:aws:events:us-east-1:123456789012:rule/pettube-dev-worker-videos.events.sweep"


def google_sign_in_event() -> dict:
    """The login page's form POST to social-auth's begin view, with a CSRF cookie and token."""
    csrf_secret = "deploytest" * 3 + "ok"  # Django accepts an unmasked 32-character secret as the token
    event = runtime.api_gateway_event("POST", "/login/google-oauth2/", headers={
        "Cookie": f"csrftoken={csrf_secret}",
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": "https://abc123.execute-api.us-east-1.amazonaws.com",
    })
    event["body"] = f"csrfmiddlewaretoken={csrf_secret}"
    return event


def test_web_function_answers_api_gateway_requests(builds, unpacked, emulated_aws):
    task = unpacked(builds.web)

    migrate, health, feed, sign_in = runtime.invoke(
        task,
        builds.runtime,
        [
            {"manage": "migrate --noinput"},  # what `zappa manage dev migrate` sends
            runtime.api_gateway_event("GET", "/healthz"),
            runtime.api_gateway_event("GET", "/"),
            google_sign_in_event(),
        ],
        environment=emulated_aws,
        entry=runtime.entry_of("dev"),
    ).results

    assert migrate == {}
    assert health["statusCode"] == 200, health["body"]
    assert json.loads(health["body"]) == {
        "status": "ok", "checks": {"database": "ok", "table": "ok", "bucket": "ok"}
    }
    assert feed["statusCode"] == 200, feed["body"][:2000]
    assert "PetTube" in feed["body"]
    # Static files come from the static bucket under their hashed (manifest) names.
    static_origin = emulated_aws["AWS_ENDPOINT_URL"]
    assert f'href="{static_origin}/pettube-dev-static/css/site.' in feed["body"]
    assert static_origin in feed["multiValueHeaders"]["Content-Security-Policy"][0]
    # Google sign-in starts without cryptography, which the package leaves out.
    assert sign_in["statusCode"] == 302, sign_in.get("body", sign_in)
    assert sign_in["multiValueHeaders"]["Location"][0].startswith("https://accounts.google.com/")


def test_web_function_serves_pet_species_and_search_pages(builds, unpacked, emulated_aws, dev_stage):
    rex = factories.pet("7", name="Rex", species="dog")
    video = factories.published("7", title="Rex digs a hole", pets=[rex.id])

    pet, species, found, api = runtime.invoke(
        unpacked(builds.web),
        builds.runtime,
        [
            runtime.api_gateway_event("GET", f"/p/{rex.id}/"),
            runtime.api_gateway_event("GET", "/", query={"species": "dog"}),
            runtime.api_gateway_event("GET", "/search/", query={"q": "holes"}),
            runtime.api_gateway_event("GET", "/api/videos/", query={"q": "REX"}),
        ],
        environment=emulated_aws,
    ).results

    for page, heading in ((pet, "<h1>Rex</h1>"), (species, "Newest dog videos"), (found, "Videos matching")):
        assert page["statusCode"] == 200, page["body"][:2000]
        main = page["body"][page["body"].find("<main>"):]
        assert heading in main and f'href="/dev/v/{video.id}/"' in main, main
    assert api["statusCode"] == 200
    assert [item["id"] for item in json.loads(api["body"])["items"]] == [video.id]


def test_worker_routes_an_upload_event_to_on_upload(builds, unpacked, emulated_aws, dev_stage, make_clip):
    video, key = factories.uploaded(make_clip("short"))
    event = factories.s3_event(key, bucket=MEDIA_BUCKET)

    runtime.invoke(
        unpacked(builds.worker), builds.runtime, [event], environment=emulated_aws, function_name="pettube-dev-worker"
    )

    ready = repository.get(video.id)
    assert ready.status == domain.READY, ready.error
    assert ready.width == 640 and ready.height == 360
    assert storage.size_of(ready.video_key) == ready.video_size > 0
    assert storage.size_of(ready.poster_key) == ready.poster_size > 0
    assert storage.size_of(key) is None  # the upload is consumed


def test_worker_routes_the_schedule_to_sweep(builds, unpacked, emulated_aws, dev_stage):
    long_ago = datetime.now(UTC) - timedelta(days=2)
    abandoned = domain.Video(
        id="abandonedv1", owner_id="7", owner_name="user7", title="Never arrived", description="", species="cat",
        status=domain.UPLOADING, created_at=long_ago, updated_at=long_ago, due_at=long_ago + timedelta(hours=1),
    )
    repository.save(None, abandoned)
    waiting = factories.start_upload("7", title="Still uploading").video
    event = factories.event("scheduled.json")
    event["resources"] = [SWEEP_RULE]

    (report,) = runtime.invoke(
        unpacked(builds.worker), builds.runtime, [event], environment=emulated_aws, function_name="pettube-dev-worker"
    ).results

    assert repository.get(abandoned.id) is None
    assert repository.get(waiting.id).status == domain.UPLOADING
    assert report == {"expired_uploads": 1, "retried": 0, "timed_out": 0, "errors": 0}


def test_worker_routes_a_chunk_invocation_to_encode_chunk(builds, unpacked, emulated_aws, dev_stage, make_clip):
    video, key = factories.uploaded(make_clip("long"))  # 20 s
    claimed = repository.claim(video.id, lease=timedelta(minutes=20))
    repository.start_encoding(video.id, attempt=claimed.attempts, plan=domain.EncodingPlan(
        duration=20.0, source_fps=30.0, rungs=ladder.rungs_to_json(ladder.choose_rungs(1920, 1080, 30)[:1]),
        has_audio=False, chunk_seconds=8, jobs=3, source_size=1,
    ))
    # What videos/workers.py sends with lambda.invoke for the second chunk of a long video.
    event = {"command": "videos.events.encode_chunk", "video_id": video.id, "attempt": claimed.attempts, "index": 1}

    runtime.invoke(
        unpacked(builds.worker), builds.runtime, [event], environment=emulated_aws, function_name="pettube-dev-worker"
    )

    made = encoding_jobs.made_by(video.id, attempt=claimed.attempts, jobs=["v1"])["v1"].segments
    assert [number for number, _ in made] == [3, 4]  # seconds 8 to 16: after 0-1 (the lead), 1-4, 4-8
    assert repository.get(video.id).jobs_done == 1
    assert storage.size_of(storage.hls_key(video.id, "360p/00003.ts")) > 0


def worker_rule(function: str) -> dict:
    event = factories.event("scheduled.json")
    event["resources"] = [f"arn:aws:events:us-east-1:123456789012:rule/pettube-dev-worker-{function}"]
    return event


def test_worker_emails_the_uploader_ranks_and_sends_the_digest(
    builds, unpacked, emulated_aws, dev_stage, make_clip, moto_endpoint
):
    from community import ranking
    from notifications import services as notifications
    from pettube import dynamo
    from tests import emails

    video, key = factories.uploaded(make_clip("short"), owner_id="1")
    yesterday = dynamo.now() - timedelta(days=1)
    dynamo.transact(*notifications.activity_actions(
        recipient="1", kind="comment", actor_name="Bo", video_id=video.id, video_title=video.title, excerpt="cute!",
        now=yesterday,
    ))
    create_uploader = (
        "from django.contrib.auth import get_user_model; "
        "get_user_model().objects.create_user(username='ana', first_name='Ana', email='ana@example.com')"
    )

    results = runtime.invoke(
        unpacked(builds.worker), builds.runtime,
        [
            {"manage": "migrate --noinput"},
            {"raw_command": create_uploader},  # `zappa invoke --raw`: the first person, id 1
            factories.s3_event(key, bucket=MEDIA_BUCKET),
            worker_rule("community.events.rank"),
            worker_rule("notifications.events.digest"),
            worker_rule("notifications.events.deliver_due"),
        ],
        environment=emulated_aws, function_name="pettube-dev-worker",
    ).results

    assert results[3:] == [{"ranked": 1}, {"day": f"{yesterday:%Y-%m-%d}", "queued": 1}, {"sent": 0}]
    assert [item.id for item in ranking.popular_page().items] == [video.id]
    subjects = [message["Subject"] for message in emails.to(emails.sent(moto_endpoint), "ana@example.com")]
    assert subjects == [
        f"Your video “{video.title}” is ready", f"New likes and comments on your videos ({yesterday:%Y-%m-%d})"
    ]
