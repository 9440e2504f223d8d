from django import forms
from django.conf import settings

PETS = ["dog", "cat", "bird", "rabbit", "rodent", "fish", "reptile", "horse", "other"]


class UploadStartForm(forms.Form):
    """What the browser sends before it uploads a file (`POST /api/videos/`)."""

    title = forms.CharField(max_length=100)
    description = forms.CharField(max_length=5000, required=False)
    pet = forms.ChoiceField(choices=[(pet, pet.title()) for pet in PETS])
    filename = forms.CharField(max_length=255)
    content_type = forms.CharField(max_length=100)
    size = forms.IntegerField(min_value=1)

    def clean_content_type(self):
        content_type = self.cleaned_data["content_type"].strip().lower()
        if not content_type.startswith("video/"):
            raise forms.ValidationError("Only video files can be uploaded.")
        return content_type

    def clean_size(self):
        size = self.cleaned_data["size"]
        limit = settings.PETTUBE_MAX_UPLOAD_BYTES
        if size > limit:
            raise forms.ValidationError(f"The file is larger than the limit of {limit / 1024**3:g} GB.")
        return size
