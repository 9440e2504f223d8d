from django.urls import include, path

from pettube import errors

urlpatterns = [
    path("", include("videos.urls")),
    path("", include("community.urls")),
    path("", include("notifications.urls")),
    path("", include("accounts.urls")),
    path("", include("social_django.urls", namespace="social")),
]

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.not_found
handler500 = errors.server_error
