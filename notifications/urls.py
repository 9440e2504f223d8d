from django.urls import path

from notifications import views

urlpatterns = [
    path("settings/notifications/", views.preferences, name="notification-settings"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
