"""What the community's partials on a video's page need: the view ticket its player reports a
view with, once it has played PETTUBE_VIEW_SECONDS."""

from django import template
from django.conf import settings

from community import viewers
from pettube import lazy

register = template.Library()
# Django loads every app's tag libraries with the first template: the services only when a page uses a tag.
services = lazy.module("community.services")


@register.simple_tag(takes_context=True)
def view_ticket(context, video) -> str:
    return services.view_ticket(video=video, viewer=viewers.viewer(context["request"]))


@register.simple_tag
def view_seconds() -> str:
    return f"{settings.PETTUBE_VIEW_SECONDS:g}"
