from django.urls import path

from . import filing_views, oversight_views, suggestion_views, views

app_name = "normative_docs"

urlpatterns = [
    # drafting and the issuer (views.py)
    path("", views.document_list, name="list"),
    path("new/", views.document_propose, name="create"),
    path("historical/new/", views.historical_register, name="historical-register"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/edit/", views.document_edit, name="edit"),
    path("<int:pk>/procedures/<slug:kind>/", views.procedure_record, name="procedure"),
    path("<int:pk>/diff/<int:other_pk>/", views.document_diff, name="diff"),
    path("<int:pk>/do/<slug:action>/", views.document_action, name="action"),
    # filing review (filing_views.py)
    path("<int:pk>/file/", filing_views.filing_submit, name="filing-submit"),
    path("filings/", filing_views.filing_queue, name="filing-queue"),
    path("filings/<int:pk>/", filing_views.filing_detail, name="filing-detail"),
    path("filings/<int:pk>/do/<slug:action>/", filing_views.filing_action, name="filing-action"),
    # oversight, statistics, clean-up (oversight_views.py)
    path("oversight/", oversight_views.oversight, name="oversight"),
    path("statistics/", oversight_views.statistics, name="statistics"),
    path("cleanups/", oversight_views.cleanup_list, name="cleanup-list"),
    path("cleanups/<int:pk>/", oversight_views.cleanup_detail, name="cleanup-detail"),
    # review suggestions from the public, answered by the filing body (suggestion_views.py)
    path("suggestions/", suggestion_views.suggestion_list, name="suggestion-list"),
    path("suggestions/<int:pk>/", suggestion_views.suggestion_detail, name="suggestion-detail"),
]
