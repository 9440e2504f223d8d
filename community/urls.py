from django.urls import path

from community import api, views

# `video_id` is the converter videos/urls.py registers (pettube/urls.py includes it first).
urlpatterns = [
    path("api/videos/<video_id:video_id>/like/", api.like, name="api-like"),
    path("api/videos/<video_id:video_id>/views/", api.view, name="api-view"),
    path("api/videos/<video_id:video_id>/comments/", api.video_comments, name="api-comments"),
    path("api/videos/<video_id:video_id>/comments/<slug:comment_id>/", api.video_comment, name="api-comment"),
    path("api/videos/<video_id:video_id>/report/", api.report_video, name="api-report-video"),
    path(
        "api/videos/<video_id:video_id>/comments/<slug:comment_id>/report/", api.report_comment,
        name="api-report-comment",
    ),
    path("staff/reports/", views.review, name="review"),
    path("staff/reports/<str:target>/", views.decide, name="review-decide"),
]
