"""What a use case can refuse, as named exceptions every app's services raise (or subclass).
pettube/api.py turns them into the JSON API's 4xx answers in one place; pages turn NotFound
into a 404 page. Their message is the one a person reads."""


class Refused(Exception):
    """A use case refused; `status` is the HTTP status that says why, `errors` which fields were
    wrong and why, `extra` anything else the answer carries."""

    status = 400

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}
        self.extra = extra or {}


class NotSignedIn(Refused):
    status = 401


class NotFound(Refused):
    status = 404


class Forbidden(Refused):
    status = 403


class Conflict(Refused):
    status = 409


class Invalid(Refused):
    """Bad input: `errors` says which fields and why (the API's `errors`)."""

    status = 400

    @classmethod
    def field(cls, name: str, message: str) -> "Invalid":
        return cls(message, {name: [message]})


class RateLimited(Refused):
    status = 429

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after
