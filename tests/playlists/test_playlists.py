"""Playlists and Watch later through the API: make, rename, describe, delete; add (201, then 200),
remove, reorder; who may see them; a full one is a 409; other people's are 403 or 404; a video
made private or deleted leaves other people's view."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from playlists import repository as playlists_repository
from playlists.repository import MAX_VIDEOS
from tests import factories
from videos import services as videos

pytestmark = pytest.mark.django_db


def person(username: str) -> tuple[str, Client]:
    user = get_user_model().objects.create_user(username=username, first_name=username.title())
    client = Client()
    client.force_login(user)
    return str(user.pk), client


def send(client, method: str, path: str, body=None):
    return getattr(client, method)(path, body if body is not None else {}, content_type="application/json")


def test_make_fill_reorder_and_delete_a_playlist(aws):
    ana, as_ana = person("ana")
    made = send(as_ana, "post", "/api/playlists/", {"title": "Best naps", "description": "Zzz", "visibility": "public"})
    assert made.status_code == 201
    playlist = made.json()
    assert {key: playlist[key] for key in ("title", "description", "visibility", "owner", "count")} == {
        "title": "Best naps", "description": "Zzz", "visibility": "public", "owner": "Ana", "count": 0}
    path = f"/api/playlists/{playlist['id']}/"
    clips = [factories.published(ana, title=f"nap {n}") for n in range(3)]
    for clip in clips:
        assert send(as_ana, "post", f"{path}items/", {"video": clip.id}).status_code == 201
    assert send(as_ana, "post", f"{path}items/", {"video": clips[0].id}).status_code == 200  # there already
    assert [item["id"] for item in as_ana.get(path).json()["items"]] == [clip.id for clip in clips]

    new_order = [clips[2].id, clips[0].id, clips[1].id]
    changed = send(as_ana, "patch", path, {"order": new_order, "title": "Naps", "description": ""})
    assert changed.status_code == 200 and changed.json()["title"] == "Naps"
    assert [item["id"] for item in as_ana.get(path).json()["items"]] == new_order
    assert send(as_ana, "patch", path, {"order": new_order[:2]}).status_code == 400  # not a reordering
    assert send(as_ana, "patch", path, {"order": [*new_order, new_order[0]]}).status_code == 400

    assert as_ana.delete(f"{path}items/{clips[0].id}/").status_code == 204
    assert as_ana.delete(f"{path}items/{clips[0].id}/").status_code == 204
    assert [item["id"] for item in as_ana.get(path).json()["items"]] == [clips[2].id, clips[1].id]
    listed = as_ana.get("/api/playlists/").json()["items"]
    assert [(item["title"], item["count"]) for item in listed] == [("Watch later", 0), ("Naps", 2)]
    assert as_ana.delete(path).status_code == 204
    assert as_ana.get(path).status_code == 404


def test_who_may_see_and_change_a_playlist(aws):
    ana, as_ana = person("ana")
    bob, as_bob = person("bob")
    anon = Client()
    mine = {visibility: send(as_ana, "post", "/api/playlists/", {"title": visibility, "visibility": visibility}).json()
            for visibility in ("public", "unlisted", "private")}
    public_clip, private_clip = factories.published(ana, title="out"), factories.published(ana, title="mine only")
    bobs_private = factories.published(bob, title="bob's", visibility="private")
    doomed = factories.published(ana, title="doomed")
    for playlist in mine.values():
        for clip in (public_clip, private_clip, doomed):
            send(as_ana, "post", f"/api/playlists/{playlist['id']}/items/", {"video": clip.id})
    videos.edit_video(video_id=private_clip.id, user_id=ana, visibility="private")
    videos.delete_video(video_id=doomed.id, user_id=ana)

    for visibility in ("public", "unlisted"):
        path = f"/api/playlists/{mine[visibility]['id']}/"
        for viewer in (as_bob, anon):
            seen = viewer.get(path).json()
            assert [item["id"] for item in seen["items"]] == [public_clip.id] and seen["count"] == 1
        assert [item["id"] for item in as_ana.get(path).json()["items"]] == [public_clip.id, private_clip.id]
        assert send(as_bob, "patch", path, {"title": "mine now"}).status_code == 403
        assert as_bob.delete(path).status_code == 403
        assert send(as_bob, "post", f"{path}items/", {"video": public_clip.id}).status_code == 403
    private = f"/api/playlists/{mine['private']['id']}/"
    # the owner reorders what they can see; a video they no longer can keeps its place at the end
    ana_path = f"/api/playlists/{mine['public']['id']}/"
    assert send(as_ana, "patch", ana_path, {"order": [private_clip.id, public_clip.id]}).status_code == 200
    assert [item["id"] for item in as_ana.get(ana_path).json()["items"]] == [private_clip.id, public_clip.id]
    assert playlists_repository.get(mine["public"]["id"]).videos == (private_clip.id, public_clip.id, doomed.id)
    assert send(as_ana, "patch", ana_path, {"order": [public_clip.id]}).status_code == 400  # one she sees left out
    assert as_bob.get(private).status_code == 404 and anon.get(private).status_code == 404
    assert send(as_bob, "patch", private, {"title": "x"}).status_code == 404
    assert as_bob.delete(f"{private}items/{public_clip.id}/").status_code == 404
    # a video someone else keeps private cannot be added
    answer = send(as_ana, "post", f"{private}items/", {"video": bobs_private.id})
    assert answer.status_code == 404 and answer.json()["error"]
    assert anon.post("/api/playlists/", {}, content_type="application/json").status_code == 401
    assert anon.get("/api/playlists/watch-later/").status_code == 401


def test_watch_later_is_private_and_always_there(aws):
    ana, as_ana = person("ana")
    bob, as_bob = person("bob")
    clip = factories.published(bob, title="later")
    later = as_ana.get("/api/playlists/watch-later/").json()
    assert (later["title"], later["visibility"], later["items"], later["watch_later"]) == (
        "Watch later", "private", [], True)
    assert send(as_ana, "post", f"/api/playlists/{later['id']}/items/", {"video": clip.id}).status_code == 201
    assert [item["id"] for item in as_ana.get("/api/playlists/watch-later/").json()["items"]] == [clip.id]
    assert as_bob.get(f"/api/playlists/{later['id']}/").status_code == 404
    assert send(as_ana, "patch", f"/api/playlists/{later['id']}/", {"visibility": "public"}).status_code == 400
    assert as_ana.delete(f"/api/playlists/{later['id']}/").status_code == 400
    assert send(as_ana, "patch", f"/api/playlists/{later['id']}/", {"order": [clip.id]}).status_code == 200


def test_a_full_playlist_is_a_409(aws, monkeypatch):
    from playlists import repository

    ana, as_ana = person("ana")
    monkeypatch.setattr(repository, "MAX_VIDEOS", 2)
    playlist = send(as_ana, "post", "/api/playlists/", {"title": "Short"}).json()
    clips = [factories.published(ana, title=f"c{n}") for n in range(3)]
    for clip in clips[:2]:
        assert send(as_ana, "post", f"/api/playlists/{playlist['id']}/items/", {"video": clip.id}).status_code == 201
    full = send(as_ana, "post", f"/api/playlists/{playlist['id']}/items/", {"video": clips[2].id})
    assert full.status_code == 409 and full.json()["error"]
    assert send(as_ana, "post", f"/api/playlists/{playlist['id']}/items/", {"video": clips[0].id}).status_code == 200
    assert MAX_VIDEOS == 200


def test_the_playlist_page_plays_in_order_and_lists_beside_the_player(aws, client):
    ana, as_ana = person("ana")
    playlist = send(as_ana, "post", "/api/playlists/", {"title": "Tour", "visibility": "unlisted"}).json()
    clips = [factories.published(ana, title=f"stop {n}") for n in range(2)]
    for clip in clips:
        send(as_ana, "post", f"/api/playlists/{playlist['id']}/items/", {"video": clip.id})
    page = client.get(f"/pl/{playlist['id']}/").content.decode()
    assert 'id="player"' in page and page.index("stop 0") < page.index("stop 1")
    assert "data-move" not in page  # only the owner reorders
    assert "data-move" in as_ana.get(f"/pl/{playlist['id']}/").content.decode()
    second = client.get(f"/pl/{playlist['id']}/?v={clips[1].id}").content.decode()
    assert f'data-video="{clips[1].id}"' in second and 'aria-current="true"' in second
    assert client.get("/pl/nosuchlist/").status_code == 404
    made = as_ana.post("/playlists/", {"title": "From the page", "visibility": "private"})
    assert made.status_code == 302 and made["Location"].startswith("/pl/")
    assert as_ana.post("/playlists/", {"title": "\u200b\u200b"}).status_code == 400
