"""Reading a JSON API request's body, whatever a client sent: a JSON object of valid Unicode
text, or InvalidBody with a status and a message a person can read (never a 500)."""

import json


class InvalidBody(ValueError):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def json_object(request) -> dict:
    """The body as a dict. Refuses another declared content type (415: Django may have parsed a
    form body before a view could read it), malformed or too deeply nested JSON, anything but an object,
    and lone surrogates (they are not text, and DynamoDB refuses them)."""
    if request.content_type not in {"application/json", ""}:
        raise InvalidBody("The body must be JSON, sent as Content-Type: application/json.", status=415)
    try:
        body = json.loads(request.body)
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidBody("The body must be valid Unicode text (it holds a lone surrogate).") from None
    except (ValueError, RecursionError):
        raise InvalidBody("The body must be JSON.") from None
    if not isinstance(body, dict):
        raise InvalidBody("The body must be a JSON object.")
    return body
