"""What sharing adds to other apps' pages: the rich links in a watch page's head (Open Graph, the
X player card, oEmbed discovery) and the feed link of a listing page."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.text import Truncator

from pettube import lazy
from videos.domain import PRIVATE, READY, Video

# The watch page's links and embed code: Django loads every tag library with the first template,
# and the listing pages use only `feed_link` (pettube/lazy.py).
links = lazy.module("sharing.links")
oembed = lazy.module("sharing.oembed")

register = template.Library()

DESCRIPTION_WORDS = 40


def shareable(video: Video) -> bool:
    """Whether the video's page may tell crawlers about it: public or unlisted, ready, not hidden."""
    return video.status == READY and video.visibility != PRIVATE and not video.hidden_at


@register.inclusion_tag("sharing/_rich_links.html", takes_context=True)
def rich_links(context, video: Video) -> dict:
    """The watch page's head tags (nothing at all for a private, unfinished or hidden video). Every
    URL in them is stable: crawlers fetch and cache them long after the page was made."""
    if not shareable(video):
        return {}
    request = context["request"]
    watch_url = links.watch_url(request, video)
    width, height = oembed.frame_size(video, maxwidth=None, maxheight=None)
    return {
        "video": video,
        "watch_url": watch_url,
        "embed_url": links.embed_url(request, video),
        "mp4_url": links.mp4_url(request, video),
        "poster": links.poster(request, video),
        "player_width": width,
        "player_height": height,
        "secure": request.is_secure(),
        "description": Truncator(video.description).words(DESCRIPTION_WORDS)
        or f"A {video.species} video by {video.owner_name} on PetTube.",
        "oembed_url": request.build_absolute_uri(reverse("oembed")) + "?" + urlencode({"url": watch_url,
                                                                                      "format": "json"}),
    }


@register.inclusion_tag("sharing/_feed_link.html")
def feed_link(name: str, title: str, *args) -> dict:
    """`<link rel="alternate">` to the RSS feed `name` (sharing/urls.py) of a listing page."""
    return {"href": reverse(name, args=args), "title": title}


@register.filter(name="shareable")
def shareable_filter(video: Video) -> bool:
    return shareable(video)


@register.inclusion_tag("sharing/_share.html", takes_context=True)
def share(context, video: Video) -> dict:
    """The watch page's Share button and dialog: the link (optionally at the player's current
    time) and the embed code, for a video others may watch."""
    if not shareable(video):
        return {}
    request = context["request"]
    width, height = oembed.frame_size(video, maxwidth=None, maxheight=None)
    return {
        "video": video,
        "watch_url": links.watch_url(request, video),
        "embed_code": oembed.iframe(links.embed_url(request, video), video.title, width, height),
    }
