"""RSS 2.0 feeds with Media RSS, read with feedparser: the newest videos, a species', a
person's and a pet's; public ready videos only, the same as the API and the pages list."""

import feedparser
import pytest

from tests import factories
from tests.aws_calls import counted

pytestmark = pytest.mark.django_db

SITE = "http://testserver"


@pytest.fixture
def world(aws, django_user_model):
    ana = django_user_model.objects.create_user(username="ana")
    owner = str(ana.pk)
    rex = factories.pet(owner, name="Rex", species="dog")
    videos = [factories.published(owner, title=f"Rex & ball {n}", description=f"Jump <{n}>", pets=[rex.id])
              for n in range(3)]
    cat = factories.published("9", title="A cat", species="cat")
    factories.published(owner, title="Private", visibility="private", pets=[rex.id])
    factories.published(owner, title="Unlisted", visibility="unlisted", pets=[rex.id])
    factories.start_upload(owner, title="Uploading")
    return {"ana": ana, "rex": rex, "videos": videos, "cat": cat}


def read(client, path):
    with counted() as calls:
        response = client.get(path)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/rss+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "rss20"
    return feed, calls


def watch_ids(feed) -> list[str]:
    return [entry.link.removeprefix(f"{SITE}/v/").strip("/") for entry in feed.entries]


def test_newest_matches_the_api(world, client):
    feed, calls = read(client, "/feeds/videos.rss")

    assert watch_ids(feed) == [item["id"] for item in client.get("/api/videos/").json()["items"]]
    assert len(feed.entries) == 4
    assert calls == ["dynamodb.Query"]


def test_species_matches_the_api(world, client):
    feed, calls = read(client, "/feeds/species/dog.rss")

    assert watch_ids(feed) == [item["id"] for item in client.get("/api/videos/", {"species": "dog"}).json()["items"]]
    assert watch_ids(feed) == [video.id for video in reversed(world["videos"])]
    assert calls == ["dynamodb.Query"]


def test_a_persons_feed_lists_their_public_videos(world, client):
    feed, calls = read(client, f"/feeds/u/{world['ana'].pk}.rss")

    assert watch_ids(feed) == [video.id for video in reversed(world["videos"])]
    assert feed.feed.title == "PetTube: ana’s videos"
    assert feed.feed.link == f"{SITE}/u/{world['ana'].pk}/"
    assert calls == ["dynamodb.Query"]


def test_a_pets_feed_lists_its_public_videos(world, client):
    feed, calls = read(client, f"/feeds/p/{world['rex'].id}.rss")

    assert watch_ids(feed) == [video.id for video in reversed(world["videos"])]
    assert feed.feed.title == "PetTube: videos of Rex"
    assert calls == ["dynamodb.Query"]


def test_items_carry_media_rss_with_stable_urls(world, client):
    feed, _ = read(client, "/feeds/species/dog.rss")
    entry, video = feed.entries[0], world["videos"][-1]
    api = client.get(f"/api/videos/{video.id}/").json()

    assert entry.title == api["title"] == "Rex & ball 2"
    assert entry.summary == "Jump <2>"  # text, escaped in the XML
    assert entry.author == api["owner"]
    [content] = entry.media_content
    assert content == {"url": f"{SITE}/v/{video.id}/video.mp4", "type": "video/mp4", "medium": "video",
                       "duration": "2", "width": "640", "height": "360", "filesize": "900"}
    assert entry.media_thumbnail == [{"url": f"{SITE}/v/{video.id}/poster.jpg", "width": "640", "height": "360"}]
    assert entry.enclosures[0]["href"] == content["url"] and entry.enclosures[0]["length"] == "900"
    assert entry.published_parsed is not None
    assert client.get(content["url"].removeprefix(SITE)).status_code == 302


@pytest.mark.parametrize("path", ["/feeds/species/dragon.rss", "/feeds/u/999999.rss", "/feeds/p/AAAAAAAAAAA.rss",
                                  "/feeds/u/abc.rss"])
def test_unknown_lists_are_404(world, client, path):
    assert client.get(path).status_code == 404


def test_pages_link_their_feeds(world, client, head):
    pages = {
        "/": "/feeds/videos.rss",
        "/?species=dog": "/feeds/species/dog.rss",
        f"/u/{world['ana'].pk}/": f"/feeds/u/{world['ana'].pk}.rss",
        f"/p/{world['rex'].id}/": f"/feeds/p/{world['rex'].id}.rss",
    }
    for page, feed in pages.items():
        links = [link for link in head(client.get(page).content.decode()).links
                 if link.get("type") == "application/rss+xml"]
        assert [(link["rel"], link["href"]) for link in links] == [("alternate", feed)], page
        assert links[0]["title"]


def test_the_feed_of_someone_with_nothing_public_is_a_404_that_names_nobody(world, client, django_user_model):
    quiet = django_user_model.objects.create_user(username="quiet", first_name="Quentin", last_name="Private")

    response = client.get(f"/feeds/u/{quiet.pk}.rss")

    assert response.status_code == 404
    assert b"Quentin" not in response.content and b"quiet" not in response.content
