from django.urls import path

from . import calendar_views, views

app_name = "core"

urlpatterns = [
    path("", views.my_work, name="my-work"),
    path("reviews/", views.review_queue, name="review-queue"),
    path("reviews/<int:pk>/", views.review_detail, name="review-detail"),
    path("reviews/<int:pk>/claim/", views.review_claim, name="review-claim"),
    path("reviews/<int:pk>/assign/", views.review_assign, name="review-assign"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment-download"),
    path("responsibility/<int:user_id>/", views.responsibility, name="responsibility"),
    path("calendar/", calendar_views.calendar, name="calendar"),
]
