"""The fields of a video as people send them: the API and the pages share these forms."""

import re

from django import forms
from django.conf import settings

from pettube.text import visible
from videos.domain import PUBLIC, SPECIES, VISIBILITIES

MAX_PETS_PER_VIDEO = 5
_PET_ID = re.compile(r"[A-Za-z0-9_-]{11}")
# The characters of a MIME type's subtype (RFC 6838; no parameters): the type goes into S3's
# Content-Type header, where a line break would be a second header.
_VIDEO_TYPE = re.compile(r"video/[a-z0-9!#$&^_.+-]{0,94}")


class PetIdsField(forms.Field):
    """A JSON list of the ids of the owner's pets (at most MAX_PETS_PER_VIDEO)."""

    def to_python(self, value):
        if value in (None, ""):
            return []
        if not isinstance(value, list) or not all(isinstance(item, str) and _PET_ID.fullmatch(item) for item in value):
            raise forms.ValidationError("Give a list of pet ids.")
        unique = list(dict.fromkeys(value))
        if len(unique) > MAX_PETS_PER_VIDEO:
            raise forms.ValidationError(f"Tag at most {MAX_PETS_PER_VIDEO} pets.")
        return unique


class VideoFieldsForm(forms.Form):
    """What an owner says about a video, at upload and when editing it. Its messages are shown
    next to the page's fields, so they speak to the person, not to a program."""

    title = forms.CharField(
        max_length=100,
        error_messages={"required": "Give your video a title.", "max_length": "Keep the title to 100 characters."},
    )
    description = forms.CharField(
        max_length=5000, required=False, error_messages={"max_length": "Keep the description to 5000 characters."}
    )
    pets = PetIdsField(required=False)
    visibility = forms.ChoiceField(choices=[(name, name.title()) for name in VISIBILITIES], required=False)

    def clean_title(self):
        title = self.cleaned_data["title"]
        if not visible(title):
            raise forms.ValidationError("Give your video a title.")
        return title

    def clean_visibility(self):
        return self.cleaned_data["visibility"] or PUBLIC


class UploadStartForm(VideoFieldsForm):
    """What the browser sends before it uploads a file (`POST /api/videos/`). Its `pet` is the
    video's species (the API's name for it)."""

    pet = forms.ChoiceField(
        choices=[(species, species.title()) for species in SPECIES],
        error_messages={"required": "Choose the kind of pet.", "invalid_choice": "Choose a pet from the list."},
    )
    filename = forms.CharField(max_length=255, error_messages={"required": "Choose a video file."})
    content_type = forms.CharField(max_length=100, error_messages={"required": "Choose a video file."})
    size = forms.IntegerField(
        min_value=1,
        error_messages={
            "required": "Choose a video file.",
            "invalid": "The file's size is missing.",
            "min_value": "This file is empty. Choose another one.",
        },
    )

    def clean_content_type(self):
        content_type = self.cleaned_data["content_type"].strip().lower()
        if not content_type.startswith("video/"):
            raise forms.ValidationError("This is not a video file. Choose a video (MP4, MOV, WebM…).")
        if not _VIDEO_TYPE.fullmatch(content_type):
            raise forms.ValidationError("This file's type is not one a video has. Choose another file.")
        return content_type

    def clean_size(self):
        size = self.cleaned_data["size"]
        limit = settings.PETTUBE_MAX_UPLOAD_BYTES
        if size > limit:
            raise forms.ValidationError(f"This file is larger than the limit of {limit / 1024**3:g} GB.")
        return size


class VideoEditForm(VideoFieldsForm):
    """`PATCH /api/videos/<id>/`: the same fields as at upload, and the chosen thumbnail; only
    the fields sent are checked and changed."""

    poster = forms.IntegerField(min_value=0)

    def __init__(self, data: dict):
        super().__init__(data=data)
        for name in list(self.fields):
            if name not in data:
                del self.fields[name]
