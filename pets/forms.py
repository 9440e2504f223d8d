from datetime import date

from django import forms

from pettube.text import visible
from videos.domain import SPECIES


class TextDateField(forms.DateField):
    """A date sent as text, `YYYY-MM-DD`: a JSON number (20240101) is refused, not parsed."""

    def to_python(self, value):
        if value is not None and not isinstance(value, str):
            raise forms.ValidationError("Send the date as text: YYYY-MM-DD.")
        return super().to_python(value)


class PetForm(forms.Form):
    """A pet's details (`POST /api/pets/`, the "My pets" page)."""

    name = forms.CharField(max_length=50)
    species = forms.ChoiceField(choices=[(name, name.title()) for name in SPECIES])
    breed = forms.CharField(max_length=50, required=False)
    born = TextDateField(required=False, input_formats=["%Y-%m-%d"])

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not visible(name):
            raise forms.ValidationError("Give your pet a name.")
        return name

    def clean_born(self):
        born = self.cleaned_data["born"]
        if born and born > date.today():
            raise forms.ValidationError("The birth date cannot be in the future.")
        return born
