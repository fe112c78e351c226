from django.urls import path

from . import calendar_views, views

app_name = "core"

urlpatterns = [
    path("", views.my_work, name="my-work"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment-download"),
    path("responsibility/<int:user_id>/", views.responsibility, name="responsibility"),
    path("calendar/", calendar_views.calendar, name="calendar"),
]
