from django.urls import path

from pettube.lazy import view

urlpatterns = [
    path("settings/notifications/", view("notifications.views.preferences"), name="notification-settings"),
    path("unsubscribe/<str:token>/", view("notifications.views.unsubscribe"), name="unsubscribe"),
]
