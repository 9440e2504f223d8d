from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import checks
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_dev_login_signs_in_a_local_user_and_shows_who(aws, client):
    response = client.post("/accounts/dev-login/", {"username": "ana", "next": "/upload/"})

    assert response.status_code == 302 and response["Location"] == "/upload/"
    page = client.get("/").content.decode()
    assert 'data-testid="signed-in-as">ana<' in page


def test_dev_login_refuses_offsite_redirects(aws, client):
    response = client.post("/accounts/dev-login/", {"username": "ana", "next": "https://evil.example/"})

    assert response["Location"] == "/"


def test_dev_login_rejects_bad_usernames(aws, client):
    response = client.post("/accounts/dev-login/", {"username": "<bad name>"})

    assert response.status_code == 400
    assert "signed-in-as" not in response.content.decode()
    assert not get_user_model().objects.filter(username="<bad name>").exists()


def test_sign_out(aws, client):
    client.post("/accounts/dev-login/", {"username": "ana"})
    assert "signed-in-as" in client.get("/").content.decode()

    client.post(reverse("logout"))

    assert "signed-in-as" not in client.get("/").content.decode()


def test_sign_out_is_a_post(aws, client):
    client.post("/accounts/dev-login/", {"username": "ana"})

    assert client.get(reverse("logout")).status_code == 405
    assert "signed-in-as" in client.get("/").content.decode()


def test_sign_in_with_google_posts_to_social_auth_and_goes_to_google(aws, client, settings):
    settings.SOCIAL_AUTH_GOOGLE_OAUTH2_KEY = "key.apps.googleusercontent.com"
    settings.SOCIAL_AUTH_GOOGLE_OAUTH2_SECRET = "secret"

    page = client.get("/login/?next=/upload/").content.decode()
    assert '<form method="post" action="/login/google-oauth2/?next=/upload/">' in page
    response = client.post("/login/google-oauth2/?next=/upload/")

    assert response.status_code == 302
    assert response["Location"].startswith("https://accounts.google.com/o/oauth2/auth?")
    assert "client_id=key.apps.googleusercontent.com" in response["Location"]
    assert "redirect_uri=http://testserver/complete/google-oauth2/&" in response["Location"]


def test_cancelling_at_google_explains_it_on_a_site_page(aws, client, settings):
    settings.SOCIAL_AUTH_GOOGLE_OAUTH2_KEY = "key.apps.googleusercontent.com"
    settings.SOCIAL_AUTH_GOOGLE_OAUTH2_SECRET = "secret"
    to_google = client.post("/login/google-oauth2/?next=/upload/")
    state = parse_qs(urlsplit(to_google["Location"]).query)["state"][0]

    response = client.get(f"/complete/google-oauth2/?error=access_denied&state={state}")

    page = response.content.decode()
    assert response.status_code == 403
    assert "Authentication process canceled" in page
    assert f'href="{reverse("login")}"' in page
    assert "Nothing was changed." in page
    assert "PetTube</a>" in page  # the site's own header, not a bare page
    assert "signed-in-as" not in client.get("/").content.decode()


@pytest.mark.parametrize(
    ("debug", "local"),
    [(False, True), (True, False), (False, False)],
)
def test_dev_login_outside_local_development_is_a_system_check_error(settings, debug, local):
    settings.PETTUBE_DEV_LOGIN = True
    settings.DEBUG = debug
    settings.LOCAL_AWS = local

    errors = checks.run_checks(tags=[checks.Tags.security])

    assert "accounts.E001" in [error.id for error in errors]


def test_dev_login_in_local_development_passes_the_check(settings):
    settings.PETTUBE_DEV_LOGIN = True
    settings.DEBUG = True
    settings.LOCAL_AWS = True

    assert "accounts.E001" not in [error.id for error in checks.run_checks(tags=[checks.Tags.security])]


def test_profile_page_lists_only_the_persons_ready_videos(aws, client, make_clip):
    from tests import factories
    from videos import processing

    person = get_user_model().objects.create_user(username="ana", first_name="Ana")
    video, key = factories.uploaded(make_clip("small"), owner_id=str(person.pk), title="ready one")
    processing.ingest_upload(key=key)
    factories.start_upload(str(person.pk), title="still uploading")
    _, other_key = factories.uploaded(make_clip("small"), owner_id=str(person.pk + 1), title="somebody else's")
    processing.ingest_upload(key=other_key)  # ready and public: only its owner makes it not Ana's

    page = client.get(f"/u/{person.pk}/").content.decode()

    assert "Ana’s videos" in page
    assert "ready one" in page
    assert f"· {video.owner_name}<" not in page  # every card is Ana's: no owner on each
    assert f"· {video.owner_name}<" in client.get("/").content.decode()
    assert "still uploading" not in page and "somebody else" not in page
    assert client.get(f"/v/{video.id}/").content.decode().count(f'href="/u/{person.pk}/"') == 1
    assert client.get("/u/999999/").status_code == 404


def test_the_sign_in_urls_are_social_djangos_with_their_views_imported_on_use():
    """accounts/social_urls.py stands for social_django.urls (which imports its views, and
    social-core's strategy with them, when the URLconf loads): the same routes, names, views."""
    from social_django import urls as theirs

    from accounts import social_urls as ours

    def routes(module):
        return [(str(pattern.pattern), pattern.name, f"{pattern.callback.__module__}.{pattern.callback.__name__}")
                for pattern in module.urlpatterns]

    assert ours.app_name == theirs.app_name
    assert routes(ours) == routes(theirs)
    assert ours.urlpatterns[1].callback.csrf_exempt is True  # asked of the real view (the OAuth callback)
