"""Email settings, and the unsubscribe link every email carries."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from notifications import services
from notifications.models import KINDS, Preferences


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = Preferences
        fields = list(KINDS)


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    form = PreferencesForm(request.POST or None, instance=services.preferences_of(request.user))
    saved = form.is_bound and form.is_valid()
    if saved:
        form.save()
    return render(request, "notifications/settings.html", {"form": form, "saved": saved})


# Mail providers POST here without a CSRF token (RFC 8058 one-click): the signed token is the
# proof, and it can only turn emails off. A GET (a person, or a link scanner) only asks.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    try:
        kind = services.unsubscribe(token=token) if request.method == "POST" else services.unsubscribe_kind(token=token)
    except signing.BadSignature:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    return render(request, "notifications/unsubscribe.html", {"about": KINDS[kind], "done": request.method == "POST"})
