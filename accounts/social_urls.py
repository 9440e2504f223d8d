"""social_django's URLs (the `social:` namespace), naming its views by path (pettube/lazy.py):
social_django.urls imports its views, and with them social-core's strategy and OpenID machinery,
as soon as the URLconf loads, which every cold start does. The same routes and names as
social_django.urls with its default trailing slash (tests/accounts/test_login.py compares them)."""

from django.urls import path

from pettube.lazy import view

app_name = "social"

urlpatterns = [
    path("login/<str:backend>/", view("social_django.views.auth"), name="begin"),
    path("complete/<str:backend>/", view("social_django.views.complete"), name="complete"),
    path("idp-launch/<str:backend>/", view("social_django.views.idp_launch"), name="idp_launch"),
    path("app-launch/<str:backend>/", view("social_django.views.app_launch"), name="app_launch"),
    path("disconnect/<str:backend>/", view("social_django.views.disconnect"), name="disconnect"),
    path("disconnect/<str:backend>/<int:association_id>/", view("social_django.views.disconnect"),
         name="disconnect_individual"),
]
