"""The JSON API's edge, shared by every app's api.py: one decorator (`endpoint`) that checks the
method and turns what a use case refuses (pettube/exceptions.py) into 4xx JSON
`{"error": ..., "errors": {...}}`, never a 500; and reading a request's JSON body and the
signed-in person."""

import functools
import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.views.csrf import csrf_failure as django_csrf_failure

from pettube.exceptions import Invalid, NotSignedIn, RateLimited, Refused


def error(status: int, message: str, errors: dict | None = None, **extra) -> JsonResponse:
    """The API's error answer: `{"error": message, "errors": {field: [...]}, ...extra}`."""
    return JsonResponse({"error": message, "errors": errors or {}, **extra}, status=status)


def endpoint(*methods: str, messages: dict[type[Refused], str] | None = None):
    """A JSON endpoint answering `methods` (405 in the API's shape for others). A Refused the
    view lets out becomes its status with its message (or the one `messages` gives for its
    class: the same NotFound reads "No such comment." on a comment's endpoint); a RateLimited
    also says Retry-After, and an Invalid which fields."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in methods:
                response = error(405, f"{request.method} is not allowed here.")
                response["Allow"] = ", ".join(methods)
                return response
            try:
                return view(request, *args, **kwargs)
            except Refused as refused:
                return refusal(refused, messages or {})

        return wrapper

    return decorator


def refusal(refused: Refused, messages: dict[type[Refused], str]) -> JsonResponse:
    message = next((text for kind, text in messages.items() if isinstance(refused, kind)), refused.message)
    response = error(refused.status, message, refused.errors, **refused.extra)
    if isinstance(refused, RateLimited):
        response["Retry-After"] = str(refused.retry_after)
    return response


def user_id(request) -> str | None:
    """The signed-in person's id, None for someone signed out."""
    return str(request.user.pk) if request.user.is_authenticated else None


def signed_in(request, message: str) -> str:
    """The signed-in person's id. Raises NotSignedIn (401) with `message` ("Sign in to …")."""
    if not request.user.is_authenticated:
        raise NotSignedIn(message)
    return str(request.user.pk)


class UnsupportedBody(Invalid):
    status = 415


class BodyTooLarge(Invalid):
    status = 413


def json_body(request) -> dict:
    """The body as a dict. Refuses (Invalid: 400, or 415 for another declared content type,
    since Django may have parsed a form body before a view could read it) malformed or too
    deeply nested JSON, anything but an object, lone surrogates (they are not text, and
    DynamoDB refuses them), and (413) a body over DATA_UPLOAD_MAX_MEMORY_SIZE, which Django
    would otherwise answer with its own 400 page, HTML with DEBUG on."""
    if request.content_type not in {"application/json", ""}:
        raise UnsupportedBody("The body must be JSON, sent as Content-Type: application/json.")
    try:
        raw = request.body
    except RequestDataTooBig:
        raise BodyTooLarge(f"The body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes.") from None
    try:
        body = json.loads(raw)
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise Invalid("The body must be valid Unicode text (it holds a lone surrogate).") from None
    except (ValueError, RecursionError):
        raise Invalid("The body must be JSON.") from None
    if not isinstance(body, dict):
        raise Invalid("The body must be a JSON object.")
    return body


def text_field(body: dict, name: str) -> str:
    """The text `name` of a JSON object ("" when absent). Raises Invalid for anything but text."""
    value = body.get(name, "")
    if not isinstance(value, str):
        raise Invalid(f"The body must be a JSON object with a {name}.", {name: [f"Send the {name} as text."]})
    return value


def form_data(body: dict, *, lists: tuple[str, ...] = ()) -> dict:
    """A JSON object as form data: scalars as they are, the fields `lists` as their lists;
    nested JSON is invalid input (None), not something to stringify."""
    return {name: value if name in lists else _scalar(value) for name, value in body.items()}


def valid(form):
    """The form's cleaned data. Raises Invalid with its errors."""
    if not form.is_valid():
        raise Invalid("Some fields are not valid.", {name: list(messages) for name, messages in form.errors.items()})
    return form.cleaned_data


def csrf_failure(request, reason=""):
    if request.path.startswith("/api/"):
        return error(403, "CSRF check failed: send the page's CSRF token in the X-CSRFToken header.")
    return django_csrf_failure(request, reason=reason)


def _scalar(value):
    return value if isinstance(value, (str, int, float)) and not isinstance(value, bool) else None
