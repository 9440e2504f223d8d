"""`{% follow_button kind id %}`: the Follow button with the follower count, for the pages of pets
and people. With `lazy=True` (the watch page and the pet page, which read everything else in one round trip) the
page's script asks for the count and state instead of the page."""

from django import template
from django.urls import reverse

from pettube import lazy

# Django loads every app's tag libraries with the first template: the services only when a page uses a tag.
services = lazy.module("follows.services")

register = template.Library()


@register.inclusion_tag("follows/_button.html", takes_context=True)
def follow_button(context, kind: str, target_id: str, *, name: str = "", own: bool = False, lazy: bool = False):
    viewer = context["request"].user
    viewer_id = str(viewer.pk) if viewer.is_authenticated else None
    state = None if lazy else services.account(kind=kind, target_id=str(target_id), viewer=viewer_id)
    return {
        "path": reverse("api-follow-pet" if kind == services.PET else "api-follow-user", args=[target_id]),
        "state": state,
        "name": name,
        "own": own,
        "signed_in": viewer_id is not None,
        "request": context["request"],
    }
