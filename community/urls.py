from django.urls import path

from pettube.lazy import view

# `video_id` is the converter videos/urls.py registers (pettube/urls.py includes it first).
urlpatterns = [
    path("api/videos/<video_id:video_id>/like/", view("community.api.like"), name="api-like"),
    path("api/videos/<video_id:video_id>/views/", view("community.api.view"), name="api-view"),
    path("api/videos/<video_id:video_id>/comments/", view("community.api.video_comments"), name="api-comments"),
    path("api/videos/<video_id:video_id>/comments/<slug:comment_id>/", view("community.api.video_comment"),
         name="api-comment"),
    path("api/videos/<video_id:video_id>/report/", view("community.api.report_video"), name="api-report-video"),
    path(
        "api/videos/<video_id:video_id>/comments/<slug:comment_id>/report/", view("community.api.report_comment"),
        name="api-report-comment",
    ),
    path("staff/reports/", view("community.views.review"), name="review"),
    path("staff/reports/<str:target>/", view("community.views.decide"), name="review-decide"),
]
