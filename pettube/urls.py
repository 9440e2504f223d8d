from django.urls import include, path, re_path

from pettube import errors, health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("", include("videos.urls")),
    path("", include("community.urls")),
    path("", include("notifications.urls")),
    path("", include("pets.urls")),
    path("", include("search.urls")),
    path("", include("sharing.urls")),
    path("", include("follows.urls")),
    path("", include("shorts.urls")),
    path("", include("playlists.urls")),
    path("", include("accounts.urls")),
    path("", include("accounts.social_urls", namespace="social")),
    # Last: an unknown API path is a JSON 404 even with DEBUG on (Django's debug 404 page is HTML).
    re_path(r"^api/", errors.not_found),
]

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.not_found
handler500 = errors.server_error
