import functools

from pettube import lazy

services = lazy.module("notifications.services")


def unseen(request):
    """`unseen_count` for the header: read only when a page shows it (a template calls it), and
    a page that read it already passes its own."""
    if not request.user.is_authenticated:
        return {}
    return {"unseen_count": functools.partial(services.unseen_count, user_id=str(request.user.pk))}
