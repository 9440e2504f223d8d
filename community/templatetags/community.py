"""What the community's partials on a video's page need: the view ticket its player reports a
view with, once it has played PETTUBE_VIEW_SECONDS."""

from django import template
from django.conf import settings

from community import services

register = template.Library()


@register.simple_tag
def view_ticket(video) -> str:
    return services.view_ticket(video=video)


@register.simple_tag
def view_seconds() -> str:
    return f"{settings.PETTUBE_VIEW_SECONDS:g}"
