from django import forms
from django.conf import settings

PETS = ["dog", "cat", "bird", "rabbit", "rodent", "fish", "reptile", "horse", "other"]


class UploadStartForm(forms.Form):
    """What the browser sends before it uploads a file (`POST /api/videos/`). Its messages are
    shown next to the upload page's fields, so they speak to the person, not to a program."""

    title = forms.CharField(
        max_length=100,
        error_messages={"required": "Give your video a title.", "max_length": "Keep the title to 100 characters."},
    )
    description = forms.CharField(
        max_length=5000, required=False, error_messages={"max_length": "Keep the description to 5000 characters."}
    )
    pet = forms.ChoiceField(
        choices=[(pet, pet.title()) for pet in PETS],
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
        return content_type

    def clean_size(self):
        size = self.cleaned_data["size"]
        limit = settings.PETTUBE_MAX_UPLOAD_BYTES
        if size > limit:
            raise forms.ValidationError(f"This file is larger than the limit of {limit / 1024**3:g} GB.")
        return size
