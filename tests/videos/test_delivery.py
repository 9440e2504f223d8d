"""Delivery through CloudFront (videos/delivery.py, videos/cdn.py): the distribution the deploy
makes, immutable objects, one URL for everyone of a public video, signed cookies for the owner
of a private one and nobody else, and a video that stops being public withdrawn from the edge.
Without PETTUBE_MEDIA_DOMAIN everything is as the other tests of tests/videos check it."""

import base64
import dataclasses
import json
import time
from datetime import timedelta
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.conf import settings as django_settings

from pettube import aws as aws_clients
from pettube import bootstrap
from tests import factories
from tests.aws_calls import counted
from videos import captions, cdn, delivery, hls, ladder, listings, repository, services, storage
from videos.domain import PRIVATE, PUBLIC, UNLISTED, EncodingPlan, Rendition

pytestmark = pytest.mark.django_db

MEDIA_DOMAIN = "media.pettube.test"


@pytest.fixture(scope="session")
def key_pair():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    return key, pem


@pytest.fixture
def distribution(aws, settings, key_pair):
    """The media distribution, made as `bootstrap_aws` makes it, and the settings that use it."""
    settings.PETTUBE_CLOUDFRONT_PRIVATE_KEY = key_pair[1]
    made = bootstrap.ensure_resources()
    settings.PETTUBE_MEDIA_DOMAIN = MEDIA_DOMAIN
    settings.PETTUBE_CLOUDFRONT_KEY_ID = made["key_id"]
    return made


def ready_video(tmp_path: Path, *, owner_id: str = "7", visibility: str = PUBLIC):
    """A ready video with one rung and its objects in the bucket, as the worker leaves it (no
    encode: the segment is a few bytes of MPEG-TS sync)."""
    video = factories.start_upload(owner_id).video
    repository.claim(video.id, lease=timedelta(minutes=5))
    rungs = ladder.choose_rungs(640, 360, 25.0)
    plan = EncodingPlan(duration=4.0, source_fps=25.0, rungs=ladder.rungs_to_json(rungs), has_audio=False,
                        chunk_seconds=4, jobs=1, source_size=1000)
    video = repository.start_encoding(video.id, attempt=1, plan=plan)
    segment, poster = tmp_path / "00000.ts", tmp_path / "poster-0.jpg"
    segment.write_bytes(b"\x47" * 188)
    poster.write_bytes(b"\xff\xd8\xff")
    name = rungs[0].name
    storage.upload(segment, storage.hls_key(video.id, hls.segment_uri(name, 0)), content_type="video/mp2t")
    storage.upload(poster, storage.media_key(video.id, "poster-0.jpg"), content_type="image/jpeg")
    storage.put_text(storage.hls_key(video.id, f"{name}.m3u8"),
                     hls.media_playlist(name, [hls.Segment(0, 4.0)], complete=True), content_type=hls.MIME_TYPE)
    if visibility != PUBLIC:
        video = listings.change(video.id, lambda current: dataclasses.replace(current, visibility=visibility))
    return listings.mark_ready(video.id, read=video, rendition=Rendition(
        duration=4.0, width=640, height=360, source_size=1000, video_size=900, poster_size=3,
        video_key=storage.media_key(video.id, "video.mp4"), poster_key=storage.media_key(video.id, "poster-0.jpg"),
        card_key=None, thumbnails=1,
    ))


def keys_under(prefix: str) -> list[str]:
    answer = aws_clients.client("s3").list_objects_v2(Bucket=django_settings.PETTUBE_BUCKET, Prefix=prefix)
    return sorted(item["Key"] for item in answer.get("Contents", []))


def head(key: str) -> dict:
    return aws_clients.client("s3").head_object(Bucket=django_settings.PETTUBE_BUCKET, Key=key)


def invalidated_paths(distribution_id: str) -> list[list[str]]:
    client = aws_clients.client("cloudfront")
    listed = client.list_invalidations(DistributionId=distribution_id)["InvalidationList"].get("Items", [])
    batches = [client.get_invalidation(DistributionId=distribution_id, Id=item["Id"])["Invalidation"]
               for item in listed]
    return sorted(batch["InvalidationBatch"]["Paths"]["Items"] for batch in batches)


def playlist_entries(text: str) -> list[str]:
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def test_the_deploy_makes_the_distribution_with_origin_access_control_and_its_behaviours(aws, settings, key_pair):
    settings.PETTUBE_CLOUDFRONT_PRIVATE_KEY = key_pair[1]
    client = aws_clients.client("cloudfront")
    sent = []
    record = lambda params, **_: sent.append(params)  # noqa: E731
    client.meta.events.register("provide-client-params.cloudfront.CreateDistribution", record)
    try:
        distribution = bootstrap.ensure_resources()
    finally:
        client.meta.events.unregister("provide-client-params.cloudfront.CreateDistribution", record)
    stored = client.get_distribution_config(Id=distribution["id"])["DistributionConfig"]
    # moto 5.2.5 keeps neither an origin's OriginAccessControlId nor a behaviour's Compress: those
    # are read from the request the deploy sent; the rest from what the emulated CloudFront stored.
    (config,) = [params["DistributionConfig"] for params in sent]
    (origin,) = config["Origins"]["Items"]
    control = client.get_origin_access_control(Id=origin["OriginAccessControlId"])["OriginAccessControl"]
    default = config["DefaultCacheBehavior"]
    (public,) = config["CacheBehaviors"]["Items"]
    (key_group_id,) = default["TrustedKeyGroups"]["Items"]
    key_group = client.get_key_group(Id=key_group_id)["KeyGroup"]["KeyGroupConfig"]
    encoded = client.get_public_key(Id=distribution["key_id"])["PublicKey"]["PublicKeyConfig"]["EncodedKey"]
    policy = json.loads(aws_clients.client("s3").get_bucket_policy(Bucket=django_settings.PETTUBE_BUCKET)["Policy"])

    assert origin["DomainName"] == f"{django_settings.PETTUBE_BUCKET}.s3.{django_settings.AWS_REGION}.amazonaws.com"
    assert control["OriginAccessControlConfig"]["SigningBehavior"] == "always"
    assert control["OriginAccessControlConfig"]["OriginAccessControlOriginType"] == "s3"
    assert stored["HttpVersion"] == "http2and3" and stored["Enabled"] and stored["Comment"] == config["Comment"]
    assert stored["CacheBehaviors"]["Items"][0]["PathPattern"] == "public/*"
    assert stored["DefaultCacheBehavior"]["TrustedKeyGroups"]["Items"] == config["DefaultCacheBehavior"]["TrustedKeyGroups"]["Items"]
    # Public copies: no signature, cached by path only (the managed policy keys on nothing else),
    # uncompressed; everything else: signed cookies of PetTube's key only, never cached.
    assert public["PathPattern"] == "public/*" and not public["TrustedKeyGroups"]["Enabled"]
    assert public["CachePolicyId"] == cdn.CACHING_OPTIMIZED_UNCOMPRESSED and public["Compress"] is False
    assert default["TrustedKeyGroups"]["Enabled"] and default["CachePolicyId"] == cdn.CACHING_DISABLED
    assert default["Compress"] is False and default["ViewerProtocolPolicy"] == public["ViewerProtocolPolicy"] == "https-only"
    assert key_group["Items"] == [distribution["key_id"]]
    assert serialization.load_pem_public_key(encoded.encode()).public_numbers() == key_pair[0].public_key().public_numbers()
    # The bucket lets this distribution read what viewers get, nothing more and nobody else.
    (statement,) = policy["Statement"]
    assert statement["Principal"] == {"Service": "cloudfront.amazonaws.com"} and statement["Action"] == "s3:GetObject"
    assert statement["Condition"] == {"StringEquals": {"AWS:SourceArn": distribution["arn"]}}
    assert sorted(statement["Resource"]) == [f"arn:aws:s3:::{django_settings.PETTUBE_BUCKET}/media/*",
                                             f"arn:aws:s3:::{django_settings.PETTUBE_BUCKET}/public/*"]
    # Running it again changes nothing: the same distribution, key and access control.
    assert bootstrap.ensure_resources() == distribution
    assert len(client.list_distributions()["DistributionList"]["Items"]) == 1


def test_a_public_video_has_one_url_for_everyone_on_the_media_domain(distribution, client, django_user_model,
                                                                      tmp_path):
    video = ready_video(tmp_path)
    other = django_user_model.objects.create_user(username="bo")
    signed_in = type(client)()
    signed_in.force_login(other)
    public = f"https://{MEDIA_DOMAIN}/public/{video.id}/hls/"

    first, second, third = (viewer.get(f"/v/{video.id}/hls/360p.m3u8") for viewer in (client, type(client)(), signed_in))
    pages = [viewer.get(f"/api/videos/{video.id}/").json() for viewer in (client, signed_in)]

    assert first.content == second.content == third.content
    assert playlist_entries(first.content.decode()) == [f"{public}360p/00000.ts"]
    assert first["Cache-Control"] == "public, max-age=3600"
    assert pages[0]["playback"] == pages[1]["playback"] and pages[0]["playback"]["hls"] == f"{public}master.m3u8"
    assert pages[0]["thumbnail_url"] == f"https://{MEDIA_DOMAIN}/public/{video.id}/poster-0.jpg"
    assert not [name for name in first.cookies if name.startswith("CloudFront")]
    # The public copy holds what those URLs name, the master playlist too: the player never asks the web function.
    assert keys_under(f"public/{video.id}/") == sorted(
        storage.public_key(key) for key in [*keys_under(f"media/{video.id}/"), storage.hls_key(video.id, "master.m3u8")])
    assert head(f"public/{video.id}/hls/360p/00000.ts")["CacheControl"] == storage.IMMUTABLE
    assert head(f"public/{video.id}/hls/360p.m3u8")["CacheControl"] == storage.PUBLIC_PLAYLIST
    master = aws_clients.client("s3").get_object(Bucket=django_settings.PETTUBE_BUCKET,
                                                 Key=f"public/{video.id}/hls/master.m3u8")["Body"].read().decode()
    assert playlist_entries(master) == ["360p.m3u8"]
    watch = client.get(f"/v/{video.id}/")
    assert f"https://{MEDIA_DOMAIN}" in watch["Content-Security-Policy"].split("media-src")[1].split(";")[0]


def test_objects_are_written_immutable(aws, tmp_path):
    path = tmp_path / "00000.ts"
    path.write_bytes(b"\x47" * 188)

    storage.upload(path, "media/abcdefghijk/hls/360p/00000.ts", content_type="video/mp2t")

    assert head("media/abcdefghijk/hls/360p/00000.ts")["CacheControl"] == "public, max-age=31536000, immutable"


def test_a_private_videos_owner_gets_cookies_for_its_folder_only_and_nobody_else_any(distribution, client, user,
                                                                                    django_user_model, key_pair,
                                                                                    tmp_path):
    video = ready_video(tmp_path, owner_id=str(user.pk), visibility=PRIVATE)
    client.force_login(user)
    other = type(client)()
    other.force_login(django_user_model.objects.create_user(username="bo"))
    before = time.time()

    watch = client.get(f"/v/{video.id}/")
    playlist = client.get(f"/v/{video.id}/hls/360p.m3u8")

    assert watch.status_code == playlist.status_code == 200
    assert 'data-media-credentials' in watch.content.decode()
    assert playlist_entries(playlist.content.decode()) == [f"https://{MEDIA_DOMAIN}/media/{video.id}/hls/360p/00000.ts"]
    assert playlist["Cache-Control"] == "private, max-age=60"
    assert not keys_under(f"public/{video.id}/")  # nothing of it where no signature is asked
    for response in (watch, playlist):
        cookies = SimpleCookie()
        for morsel in response.cookies.values():
            cookies[morsel.key] = morsel
        assert {"CloudFront-Policy", "CloudFront-Signature", "CloudFront-Key-Pair-Id"} <= set(cookies)
        for name in ("CloudFront-Policy", "CloudFront-Signature", "CloudFront-Key-Pair-Id"):
            morsel = cookies[name]
            assert morsel["path"] == f"/media/{video.id}/" and morsel["domain"] == "pettube.test"
            assert morsel["secure"] and morsel["httponly"] and int(morsel["max-age"]) == delivery.COOKIE_SECONDS
        assert cookies["CloudFront-Key-Pair-Id"].value == distribution["key_id"]
        policy_bytes = cookie_base64(cookies["CloudFront-Policy"].value)
        key_pair[0].public_key().verify(cookie_base64(cookies["CloudFront-Signature"].value), policy_bytes,
                                        padding.PKCS1v15(), hashes.SHA1())
        (statement,) = json.loads(policy_bytes)["Statement"]
        assert statement["Resource"] == f"https://{MEDIA_DOMAIN}/media/{video.id}/*"
        expires = statement["Condition"]["DateLessThan"]["AWS:EpochTime"]
        assert before + delivery.COOKIE_SECONDS - 1 <= expires <= time.time() + delivery.COOKIE_SECONDS + 1
    # Nobody else gets cookies: not another person, not someone signed out (both see no video).
    for stranger in (other, type(client)()):
        for path in (f"/v/{video.id}/", f"/v/{video.id}/hls/360p.m3u8"):
            response = stranger.get(path)
            assert response.status_code == 404
            assert not [name for name in response.cookies if name.startswith("CloudFront")]


def test_a_public_videos_owner_gets_no_cookies(distribution, client, user, tmp_path):
    video = ready_video(tmp_path, owner_id=str(user.pk), visibility=UNLISTED)
    client.force_login(user)

    watch = client.get(f"/v/{video.id}/")

    assert not [name for name in watch.cookies if name.startswith("CloudFront")]
    assert 'data-media-credentials' not in watch.content.decode()


def cookie_base64(value: str) -> bytes:
    return base64.b64decode(value.translate(str.maketrans("-_~", "+=/")))


def test_a_video_that_stops_being_public_leaves_the_edge(distribution, tmp_path, user):
    video = ready_video(tmp_path, owner_id=str(user.pk))
    owner = str(user.pk)
    copied = keys_under(f"public/{video.id}/")
    path = f"/public/{video.id}/*"

    services.edit_video(video_id=video.id, user_id=owner, visibility=PRIVATE)
    assert keys_under(f"public/{video.id}/") == []
    assert invalidated_paths(distribution["id"]) == [[path]]

    services.edit_video(video_id=video.id, user_id=owner, visibility=UNLISTED)
    assert keys_under(f"public/{video.id}/") == copied
    services.edit_video(video_id=video.id, user_id=owner, title="Still unlisted")  # nothing to withdraw
    assert invalidated_paths(distribution["id"]) == [[path]]

    services.hide_video(video_id=video.id)
    assert keys_under(f"public/{video.id}/") == [] and invalidated_paths(distribution["id"]) == [[path]] * 2
    services.restore_video(video_id=video.id)
    assert keys_under(f"public/{video.id}/") == copied

    with counted() as calls:
        services.delete_video(video_id=video.id, user_id=owner)
    assert keys_under(f"public/{video.id}/") == [] == keys_under(f"media/{video.id}/")
    assert invalidated_paths(distribution["id"]) == [[path]] * 3
    assert calls.count("cloudfront.CreateInvalidation") == 1


def test_without_a_media_domain_nothing_is_copied_or_invalidated(aws, client, tmp_path):
    with counted() as calls:
        video = ready_video(tmp_path)
        services.edit_video(video_id=video.id, user_id="7", visibility=PRIVATE)
        services.delete_video(video_id=video.id, user_id="7")

    assert not [call for call in calls if call.startswith("cloudfront.") or call == "s3.CopyObject"]
    assert keys_under("public/") == []


def public_text(video_id: str, name: str) -> str:
    return aws_clients.client("s3").get_object(Bucket=django_settings.PETTUBE_BUCKET,
                                               Key=f"public/{video_id}/{name}")["Body"].read().decode()


def test_captions_added_and_removed_after_publishing_follow_into_the_public_copy(distribution, tmp_path):
    """Safari plays HLS itself and finds captions through the master playlist: behind CloudFront
    that is the public copy's, so captions added later must reach it (and leave it when removed)."""
    video = ready_video(tmp_path)
    owner = video.owner_id

    captions.add(video_id=video.id, user_id=owner, lang="en", label="English", text="WEBVTT\n\n00:00.000 --> 00:01.000\nWoof\n")
    master = public_text(video.id, "hls/master.m3u8")
    subtitles = public_text(video.id, "hls/subtitles-en.m3u8")
    caption = public_text(video.id, "captions/en.vtt")
    caption_type = head(f"public/{video.id}/captions/en.vtt")["ContentType"]
    added_paths = invalidated_paths(distribution["id"])
    captions.remove(video_id=video.id, user_id=owner, lang="en")

    assert 'TYPE=SUBTITLES' in master and 'URI="subtitles-en.m3u8"' in master and 'SUBTITLES="subtitles"' in master
    assert "../captions/en.vtt" in subtitles
    assert "X-TIMESTAMP-MAP=MPEGTS:" in caption and "Woof" in caption
    assert caption_type.startswith("text/vtt")
    changed = sorted([f"/public/{video.id}/captions/en.vtt", f"/public/{video.id}/hls/master.m3u8",
                      f"/public/{video.id}/hls/subtitles-en.m3u8"])
    assert [sorted(batch) for batch in added_paths] == [changed]
    assert "SUBTITLES" not in public_text(video.id, "hls/master.m3u8")
    assert keys_under(f"public/{video.id}/captions/") == []
    assert f"public/{video.id}/hls/subtitles-en.m3u8" not in keys_under(f"public/{video.id}/hls/")
    assert [sorted(batch) for batch in invalidated_paths(distribution["id"])] == [changed, changed]


def test_captions_of_a_video_not_shared_stay_out_of_the_public_copy(distribution, tmp_path):
    video = ready_video(tmp_path, visibility=PRIVATE)

    with counted() as calls:
        captions.add(video_id=video.id, user_id=video.owner_id, lang="en", label="English",
                     text="WEBVTT\n\n00:00.000 --> 00:01.000\nWoof\n")

    assert keys_under("public/") == []
    assert not [call for call in calls if call.startswith("cloudfront.")]


def test_renditions_added_later_reach_the_public_copy_and_its_master_is_fetched_again(distribution, tmp_path):
    video = ready_video(tmp_path)
    (rung,) = ladder.rungs_from_json(video.rungs)
    with_av1 = dataclasses.replace(video, av1_rungs=ladder.rungs_to_json([rung]),
                                   av1_codecs=json.dumps({rung.name: "av01.0.04M.08"}))
    av1_segment = storage.hls_key(video.id, "av1-360p/00000.m4s")
    storage.put_text(av1_segment, "not really AV1", content_type="video/iso.segment")

    with counted() as calls:
        delivery.republish(with_av1)

    assert "av01.0.04M.08" in public_text(video.id, "hls/master.m3u8")
    assert storage.public_key(av1_segment) in keys_under(f"public/{video.id}/hls/")
    assert calls.count("s3.CopyObject") == 1  # the new segment only: what the copy had stays
    assert invalidated_paths(distribution["id"]) == [[f"/public/{video.id}/hls/master.m3u8"]]
