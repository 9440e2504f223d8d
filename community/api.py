"""The community's JSON endpoints under /api/videos/<id>/: like, views, comments, reports.
Thin: parse, call a service, answer JSON; refusals become 4xx JSON in pettube/api.py."""

import secrets

from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from community import comments, reports, services, viewers
from community.repositories.comments import Comment
from pettube.api import endpoint, json_body, signed_in, text_field, user_id
from pettube.exceptions import Invalid, NotFound


def comment_json(comment: Comment) -> dict:
    return {
        "id": comment.id,
        "author": comment.author_name,
        "author_id": comment.author_id,
        "text": comment.text,
        "created_at": comment.posted_at.isoformat(),
    }


@endpoint("POST", "DELETE")
def like(request, video_id: str):
    liker = signed_in(request, "Sign in to like videos.")
    if request.method == "POST":
        state = services.like(video_id=video_id, user_id=liker, user_name=request.user.display_name)
    else:
        state = services.unlike(video_id=video_id, user_id=liker)
    return JsonResponse({"liked": state.liked, "likes": state.likes})


# No CSRF token: the embed page reports views from other sites' frames, where the browser sends
# no cookie of ours (neither the CSRF cookie nor the session: SameSite=Lax), so a forged request
# can do no more than any signed-out client; the ticket is the proof that a page was served.
@csrf_exempt
@endpoint("POST")
def view(request, video_id: str):
    ticket = text_field(json_body(request), "ticket")
    if not ticket:
        raise Invalid("Send the page's view ticket.", {"ticket": ["This field is required."]})
    counted = services.count_view(video_id=video_id, viewers=viewers.candidates(request), user_id=user_id(request),
                                  address=viewers.address(request), ticket=ticket)
    response = JsonResponse({"counted": counted})
    if counted and viewers.cookieless(request):
        # Only a counted view earns a cookie: one per address, video and day, so a client that
        # drops its cookies cannot collect fresh viewers faster than the address's hourly limit.
        response.set_signed_cookie(viewers.VIEWER_COOKIE, secrets.token_urlsafe(12),
                                   max_age=viewers.VIEWER_COOKIE_AGE, httponly=True, samesite="Lax",
                                   secure=request.is_secure())
    return response


@endpoint("GET", "POST")
def video_comments(request, video_id: str):
    if request.method == "POST":
        author_id = signed_in(request, "Sign in to comment.")
        text = text_field(json_body(request), "text")
        comment = comments.post_comment(
            video_id=video_id, author_id=author_id, author_name=request.user.display_name, text=text
        )
        return JsonResponse(comment_json(comment), status=201)
    page = comments.comments_on(video_id=video_id, user_id=user_id(request), cursor=request.GET.get("cursor") or None)
    return JsonResponse({"items": [comment_json(comment) for comment in page.items], "next_cursor": page.next_cursor})


@endpoint("DELETE", messages={NotFound: "No such comment."})
def video_comment(request, video_id: str, comment_id: str):
    deleter = signed_in(request, "Sign in to delete comments.")
    comments.delete_comment(video_id=video_id, comment_id=comment_id, user_id=deleter)
    return HttpResponse(status=204)


@endpoint("POST", messages={NotFound: "Nothing to report here."})
def report_video(request, video_id: str):
    return _reported(reports.report_video(video_id=video_id, **_report(request)))


@endpoint("POST", messages={NotFound: "Nothing to report here."})
def report_comment(request, video_id: str, comment_id: str):
    return _reported(reports.report_comment(video_id=video_id, comment_id=comment_id, **_report(request)))


def _report(request) -> dict:
    reporter = signed_in(request, "Sign in to report.")
    verified = request.user.social_auth.exists()  # a Google sign-in: Google verified the address
    return {"reporter_id": reporter, "reason": text_field(json_body(request), "reason"),
            "weight": reports.weight(joined=request.user.date_joined, verified_email=verified)}


def _reported(hidden: bool) -> JsonResponse:
    return JsonResponse({"reported": True, "hidden": hidden})
