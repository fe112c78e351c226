"""The public library of normative documents (规范性文件库), mounted at ``library/``."""
from django.urls import path

from . import public_views

app_name = "library"

urlpatterns = [
    path("", public_views.library_index, name="list"),
    path("<int:pk>/", public_views.library_detail, name="detail"),
    path("<int:pk>/diff/<int:other_pk>/", public_views.library_diff, name="diff"),
    path("<int:pk>/original.docx", public_views.library_original, name="original"),
    path("<int:pk>/files/<int:attachment_pk>/", public_views.library_attachment, name="attachment"),
    path("<int:pk>/suggest/", public_views.suggestion_submit, name="suggest"),
    path("suggestions/", public_views.suggestion_lookup, name="suggestion-lookup"),
    path("suggestions/<str:number>/", public_views.suggestion_track, name="suggestion-track"),
]
