"""Following's JSON endpoints: follow or unfollow a pet or a person, what I follow. Thin: parse,
call a service, answer JSON; refusals become 4xx JSON in pettube/api.py."""

from django.http import JsonResponse

from follows import services
from follows.repository import Account
from pettube.api import endpoint, signed_in, user_id


def _follow(request, kind: str, target_id: str) -> JsonResponse:
    if request.method == "GET":
        state = services.account(kind=kind, target_id=target_id, viewer=user_id(request))
    else:
        follower = signed_in(request, "Sign in to follow pets and people.")
        change = services.follow if request.method == "POST" else services.unfollow
        state = change(kind=kind, target_id=target_id, follower=follower)
    return account_json(state)


def account_json(state: Account) -> JsonResponse:
    return JsonResponse({"following": state.following, "followers": state.followers})


@endpoint("GET", "POST", "DELETE")
def pet(request, pet_id: str):
    return _follow(request, services.PET, pet_id)


@endpoint("GET", "POST", "DELETE")
def user(request, person_id: int):
    return _follow(request, services.USER, str(person_id))


@endpoint("GET")
def following(request):
    follower = signed_in(request, "Sign in to see whom you follow.")
    items, next_cursor = services.following(follower=follower, cursor=request.GET.get("cursor") or None)
    return JsonResponse({
        "items": [{"kind": item.kind, "id": item.id, "name": item.name, "followers": item.followers,
                   "followed_at": item.followed_at.isoformat()} for item in items],
        "next_cursor": next_cursor,
    })
