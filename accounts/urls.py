from django.conf import settings
from django.urls import path

from pettube.lazy import view

urlpatterns = [
    path("login/", view("accounts.views.login_page"), name="login"),
    path("logout/", view("django.contrib.auth.views.LogoutView"), name="logout"),
    path("u/<int:user_id>/", view("accounts.views.profile"), name="profile"),
]
if settings.PETTUBE_DEV_LOGIN:
    urlpatterns.append(path("accounts/dev-login/", view("accounts.views.dev_login"), name="dev-login"))
