"""Pages of the deadline machinery, mounted under /work/ (namespace ``deadlines``).
The calendar feed (/calendar/<token>.ics) and the API are mounted in huzhou_rule/urls.py."""
from django.urls import path

from . import calendar_views, views

app_name = "deadlines"

urlpatterns = [
    path("deadlines/overdue/", views.overdue_list, name="overdue"),
    path("deadlines/<int:pk>/", views.clock_detail, name="clock-detail"),
    path("deadlines/<int:pk>/pause/", views.clock_pause, name="clock-pause"),
    path("deadlines/<int:pk>/resume/", views.clock_resume, name="clock-resume"),
    path("deadlines/<int:pk>/extend/", views.clock_extend, name="clock-extend"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read-all/", views.notification_read_all, name="notifications-read-all"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification-read"),
    path("notifications/settings/", views.notification_settings, name="notification-settings"),
    path("notifications/settings/reset-token/", views.calendar_token_reset, name="calendar-token-reset"),
    path("calendar/", calendar_views.calendar, name="calendar"),
]
