"""A playlist's fields as people send them (the API and the pages share this form)."""

import re

from django import forms

from pettube.text import has_control_characters, visible
from playlists.repository import MAX_VIDEOS
from videos.domain import PRIVATE, VISIBILITIES

_VIDEO_ID = re.compile(r"[A-Za-z0-9_-]{11}")


class OrderField(forms.Field):
    """A JSON list of video ids (at most MAX_VIDEOS)."""

    def to_python(self, value):
        if value is None:
            return None
        if not isinstance(value, list) or len(value) > MAX_VIDEOS or not all(
                isinstance(item, str) and _VIDEO_ID.fullmatch(item) for item in value):
            raise forms.ValidationError(f"Give the playlist's video ids (at most {MAX_VIDEOS}), in their new order.")
        return value


class PlaylistForm(forms.Form):
    title = forms.CharField(max_length=100, error_messages={
        "required": "Give the playlist a title.", "max_length": "Keep the title to 100 characters."})
    description = forms.CharField(max_length=2000, required=False, error_messages={
        "max_length": "Keep the description to 2000 characters."})
    visibility = forms.ChoiceField(choices=[(name, name.title()) for name in VISIBILITIES], required=False)

    def clean_title(self):
        title = self.cleaned_data["title"]
        if not visible(title) or has_control_characters(title):
            raise forms.ValidationError("Give the playlist a title.")
        return title

    def clean_description(self):
        description = self.cleaned_data["description"]
        if has_control_characters(description):
            raise forms.ValidationError("Leave control characters out of the description.")
        return description

    def clean_visibility(self):
        return self.cleaned_data["visibility"] or PRIVATE


class PlaylistEditForm(PlaylistForm):
    """A PATCH: any of the fields (those sent are checked as at creation), and `order`."""

    order = OrderField(required=False)

    def __init__(self, data):
        super().__init__(data)
        for name in ("title", "description", "visibility"):
            if name not in data:
                del self.fields[name]

    def clean_visibility(self):
        return self.cleaned_data["visibility"] or PRIVATE
