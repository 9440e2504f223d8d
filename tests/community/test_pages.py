"""AWS calls per page and per request (botocore's before-call hook), and the unseen count in
the header."""

import re
from datetime import timedelta

from community import ranking, services
from tests.community.test_views import viewer_of
from pettube import dynamo


def calls_for(aws_calls, request) -> list[str]:
    aws_calls.clear()
    response = request()
    assert response.status_code in (200, 201), response.content[:300]
    return list(aws_calls)


def post(client, path: str, body: dict):
    return client.post(path, body, content_type="application/json")


def test_aws_calls_per_page(aws, client, owner, viewer, video, aws_calls):
    ranking.rank()
    ticket = services.view_ticket(video=video, viewer=viewer_of(client), now=dynamo.now() - timedelta(minutes=1))
    api = "/api/videos/"
    signed_out = {
        "watch": calls_for(aws_calls, lambda: client.get(f"/v/{video.id}/")),
        "feed": calls_for(aws_calls, lambda: client.get("/")),
        "popular": calls_for(aws_calls, lambda: client.get("/?sort=popular")),
        "video api": calls_for(aws_calls, lambda: client.get(f"{api}{video.id}/")),
        "comments api": calls_for(aws_calls, lambda: client.get(f"{api}{video.id}/comments/")),
        "view": calls_for(aws_calls, lambda: post(client, f"{api}{video.id}/views/", {"ticket": ticket})),
    }
    client.force_login(viewer)
    signed_in = {
        "watch": calls_for(aws_calls, lambda: client.get(f"/v/{video.id}/")),
        "feed": calls_for(aws_calls, lambda: client.get("/")),
        "popular": calls_for(aws_calls, lambda: client.get("/?sort=popular")),
        "my videos": calls_for(aws_calls, lambda: client.get("/me/")),
        "video api": calls_for(aws_calls, lambda: client.get(f"{api}{video.id}/")),
        "like": calls_for(aws_calls, lambda: client.post(f"{api}{video.id}/like/")),
        "comment": calls_for(aws_calls, lambda: post(client, f"{api}{video.id}/comments/", {"text": "hi"})),
    }

    assert signed_out == {
        "watch": ["dynamodb.GetItem"],
        "feed": ["dynamodb.Query"],
        "popular": ["dynamodb.GetItem"],
        "video api": ["dynamodb.GetItem"],
        "comments api": ["dynamodb.GetItem", "dynamodb.Query"],
        "view": ["dynamodb.TransactWriteItems"],
    }
    assert signed_in == {
        # the video, whether they like it, and their unseen count: one round trip
        "watch": ["dynamodb.BatchGetItem"],
        # + the header's unseen count: my inbox and what I follow, one BatchGetItem
        "feed": ["dynamodb.Query", "dynamodb.BatchGetItem"],
        "popular": ["dynamodb.GetItem", "dynamodb.BatchGetItem"],
        "my videos": ["dynamodb.UpdateItem", "dynamodb.Query"],  # the unseen count goes back to 0
        "video api": ["dynamodb.BatchGetItem"],
        "like": ["dynamodb.GetItem", "dynamodb.TransactWriteItems", "dynamodb.BatchGetItem"],
        "comment": ["dynamodb.GetItem", "dynamodb.TransactWriteItems"],
    }


def unseen_in_header(client) -> str | None:
    found = re.search(r'data-testid="unseen"[^>]*>(\d+)<', client.get("/").content.decode())
    return found.group(1) if found else None


def test_the_header_counts_what_happened_on_my_videos_since_i_last_looked(aws, client, owner, as_viewer, video):
    as_viewer.post(f"/api/videos/{video.id}/like/")
    as_viewer.post(f"/api/videos/{video.id}/comments/", {"text": "so cute"}, content_type="application/json")
    assert unseen_in_header(as_viewer) is None  # nothing happened on Vic's videos

    client.force_login(owner)
    assert unseen_in_header(client) == "2"
    watch = client.get(f"/v/{video.id}/").content.decode()
    assert 'data-testid="unseen" aria-label="2 new">2<' in watch

    client.get("/me/")
    assert unseen_in_header(client) is None


def test_my_own_likes_and_comments_are_not_news_to_me(aws, client, owner, video):
    client.force_login(owner)
    client.post(f"/api/videos/{video.id}/like/")
    client.post(f"/api/videos/{video.id}/comments/", {"text": "my cat"}, content_type="application/json")

    assert unseen_in_header(client) is None


def test_cards_show_likes_and_views(aws, as_viewer, video):
    as_viewer.post(f"/api/videos/{video.id}/like/")

    feed = as_viewer.get("/").content.decode()

    assert "♥ 1</span> · <span>0 views</span>" in feed
