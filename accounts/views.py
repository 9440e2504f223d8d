from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from accounts.forms import DevLoginForm
from videos import services
from videos.presenters import render_cards


def login_page(request):
    context = {"form": DevLoginForm(), "next": _next_url(request), "signing_in": True}
    return render(request, "accounts/login.html", context)


@require_http_methods(["POST"])
def dev_login(request):
    if not settings.PETTUBE_DEV_LOGIN:
        raise Http404
    form = DevLoginForm(request.POST)
    if not form.is_valid():
        context = {"form": form, "next": _next_url(request), "signing_in": True}
        return render(request, "accounts/login.html", context, status=400)
    username = form.cleaned_data["username"]
    # An address at a reserved domain, so that the emails PetTube sends show up in the embedded SES.
    user, _ = get_user_model().objects.get_or_create(username=username, defaults={"email": f"{username}@example.com"})
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect(_next_url(request))


def profile(request, user_id: int):
    """A person's public videos. Someone with none has no page but for themselves (404, staff
    included): ids are sequential, and a page would show the name of everyone who ever signed in
    (in production their Google full name) to anybody counting up."""
    person = get_object_or_404(get_user_model(), pk=user_id, is_active=True)
    is_self = request.user.pk == person.pk

    def public_page(*, cursor: str | None):
        page = services.public_videos_of(owner_id=str(person.pk), cursor=cursor)
        if not page.items and cursor is None and not is_self:
            raise Http404("Nobody here has shared a video.")
        return page

    return render_cards(request, "accounts/profile.html", public_page, person=person, is_self=is_self)


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return "/"
