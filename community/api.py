"""The community's JSON endpoints under /api/videos/<id>/: like, views, comments, reports.
Thin: parse, call a service, answer JSON; errors are 4xx JSON, never a 500."""

import secrets

from django.http import HttpResponse, JsonResponse

from community import comments, reports, services
from community.repository import Comment
from pettube.dynamo import InvalidCursor
from videos import services as videos
from videos.api import allow, error, json_body

VIEWER_COOKIE = "pettube_viewer"
VIEWER_COOKIE_AGE = 400 * 24 * 60 * 60  # the longest browsers keep a cookie


def _user_id(request) -> str | None:
    return str(request.user.pk) if request.user.is_authenticated else None


def _text_field(request, name: str) -> str | JsonResponse:
    """The text `name` of the request's JSON object ("" when absent), or the 4xx answer to send
    instead."""
    body = json_body(request)
    if isinstance(body, JsonResponse):
        return body
    value = body.get(name, "")
    if not isinstance(value, str):
        return error(400, f"The body must be a JSON object with a {name}.", {name: [f"Send the {name} as text."]})
    return value


def comment_json(comment: Comment) -> dict:
    return {
        "id": comment.id,
        "author": comment.author_name,
        "author_id": comment.author_id,
        "text": comment.text,
        "created_at": comment.posted_at.isoformat(),
    }


@allow("POST", "DELETE")
def like(request, video_id: str):
    if not request.user.is_authenticated:
        return error(401, "Sign in to like videos.")
    try:
        if request.method == "POST":
            state = services.like(video_id=video_id, user_id=_user_id(request), user_name=request.user.display_name)
        else:
            state = services.unlike(video_id=video_id, user_id=_user_id(request))
    except videos.NotFound:
        return error(404, "No such video.")
    return JsonResponse({"liked": state.liked, "likes": state.likes})


@allow("POST")
def view(request, video_id: str):
    ticket = _text_field(request, "ticket")
    if isinstance(ticket, JsonResponse):
        return ticket
    if not ticket:
        return error(400, "Send the page's view ticket.", {"ticket": ["This field is required."]})
    viewer_cookie = request.get_signed_cookie(VIEWER_COOKIE, default=None)
    browser = viewer_cookie or secrets.token_urlsafe(12)
    user_id = _user_id(request)
    try:
        counted = services.count_view(
            video_id=video_id, viewer=f"u{user_id}" if user_id else f"b{browser}", user_id=user_id, ticket=ticket
        )
    except services.InvalidTicket as invalid:
        return error(400, str(invalid), {"ticket": [str(invalid)]})
    response = JsonResponse({"counted": counted})
    if viewer_cookie is None and user_id is None:
        response.set_signed_cookie(
            VIEWER_COOKIE, browser, max_age=VIEWER_COOKIE_AGE, httponly=True, samesite="Lax", secure=request.is_secure()
        )
    return response


@allow("GET", "POST")
def video_comments(request, video_id: str):
    if request.method == "POST":
        return _post_comment(request, video_id)
    try:
        page = comments.comments_on(
            video_id=video_id, user_id=_user_id(request), cursor=request.GET.get("cursor") or None
        )
    except videos.NotFound:
        return error(404, "No such video.")
    except InvalidCursor as invalid:
        return error(400, str(invalid), {"cursor": [str(invalid)]})
    return JsonResponse({"items": [comment_json(comment) for comment in page.items], "next_cursor": page.next_cursor})


def _post_comment(request, video_id: str):
    if not request.user.is_authenticated:
        return error(401, "Sign in to comment.")
    text = _text_field(request, "text")
    if isinstance(text, JsonResponse):
        return text
    try:
        comment = comments.post_comment(
            video_id=video_id, author_id=_user_id(request), author_name=request.user.display_name, text=text
        )
    except comments.InvalidComment as invalid:
        return error(400, str(invalid), {"text": [str(invalid)]})
    except comments.RateLimited as limited:
        response = error(429, str(limited))
        response["Retry-After"] = str(limited.retry_after)
        return response
    except videos.NotFound:
        return error(404, "No such video.")
    return JsonResponse(comment_json(comment), status=201)


@allow("DELETE")
def video_comment(request, video_id: str, comment_id: str):
    if not request.user.is_authenticated:
        return error(401, "Sign in to delete comments.")
    try:
        comments.delete_comment(video_id=video_id, comment_id=comment_id, user_id=_user_id(request))
    except videos.NotFound:
        return error(404, "No such comment.")
    except comments.Forbidden:
        return error(403, "Only the comment's author or the video's owner can delete it.")
    return HttpResponse(status=204)


@allow("POST")
def report_video(request, video_id: str):
    return _report(
        request, lambda reason: reports.report_video(video_id=video_id, reporter_id=_user_id(request), reason=reason)
    )


@allow("POST")
def report_comment(request, video_id: str, comment_id: str):
    return _report(
        request,
        lambda reason: reports.report_comment(
            video_id=video_id, comment_id=comment_id, reporter_id=_user_id(request), reason=reason
        ),
    )


def _report(request, report):
    if not request.user.is_authenticated:
        return error(401, "Sign in to report.")
    reason = _text_field(request, "reason")
    if isinstance(reason, JsonResponse):
        return reason
    try:
        hidden = report(reason)
    except reports.InvalidReport as invalid:
        return error(400, str(invalid), {"reason": [str(invalid)]})
    except videos.NotFound:
        return error(404, "Nothing to report here.")
    return JsonResponse({"reported": True, "hidden": hidden})
