"""Who is watching, for counting views honestly: a signed-in person (`u<id>`), a browser by the
signed cookie PetTube gave it (`b<random>`), or a browser without one by its network address,
hashed with the site's secret (`a<hash>`: the address itself is never stored). A view ticket is
bound to the viewer it was handed to, and counts for nobody else."""

from django.utils.crypto import salted_hmac

VIEWER_COOKIE = "pettube_viewer"
VIEWER_COOKIE_AGE = 400 * 24 * 60 * 60  # the longest browsers keep a cookie
_ADDRESS_SALT = "community.viewers.address"


def viewer(request) -> str:
    if request.user.is_authenticated:
        return f"u{request.user.pk}"
    if cookie := browser_cookie(request):
        return f"b{cookie}"
    return f"a{address(request)}"


def candidates(request) -> tuple[str, ...]:
    """Whom a ticket presented with `request` may have been handed to: this viewer, or this
    address (a page handed out before the browser got its cookie, or before its person signed in)."""
    return tuple(dict.fromkeys([viewer(request), f"a{address(request)}"]))


def address(request) -> str:
    """The request's network address, hashed (API Gateway and runserver both set REMOTE_ADDR;
    a client cannot choose it, unlike X-Forwarded-For)."""
    return salted_hmac(_ADDRESS_SALT, request.META.get("REMOTE_ADDR", ""), algorithm="sha256").hexdigest()[:24]


def browser_cookie(request) -> str | None:
    return request.get_signed_cookie(VIEWER_COOKIE, default=None)


def cookieless(request) -> bool:
    """A signed-out browser PetTube has not given a viewer cookie yet."""
    return not request.user.is_authenticated and browser_cookie(request) is None
