"""The Following page: the newest videos of the pets and people I follow. Thin: read through the
services, render a template."""

import functools

from django.contrib.auth.decorators import login_required
from django.views.decorators.cache import never_cache

from follows import services
from videos.presenters import render_cards


@login_required
@never_cache
def following(request):
    return render_cards(request, "follows/following.html",
                        functools.partial(services.feed_page, user_id=str(request.user.pk)))
