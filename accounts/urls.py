from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

urlpatterns = [
    path("login/", views.login_page, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("u/<int:user_id>/", views.profile, name="profile"),
]
if settings.PETTUBE_DEV_LOGIN:
    urlpatterns.append(path("accounts/dev-login/", views.dev_login, name="dev-login"))
