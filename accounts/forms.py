from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator


class DevLoginForm(forms.Form):
    username = forms.CharField(max_length=30, validators=[UnicodeUsernameValidator()])
