from django.urls import path

from . import views

app_name = "decisions"

urlpatterns = [
    path("", views.decision_list, name="list"),
    path("new/", views.decision_create, name="create"),
    path("<int:pk>/", views.decision_detail, name="detail"),
    path("<int:pk>/edit/", views.decision_edit, name="edit"),
    path("<int:pk>/procedures/<slug:kind>/", views.procedure_record, name="procedure"),
    path("<int:pk>/start-procedures/", views.StartProceduresView.as_view(), name="start-procedures"),
    path("<int:pk>/public-comment/", views.PublicCommentOpenView.as_view(), name="public-comment"),
    path("<int:pk>/hearing/", views.HearingScheduleView.as_view(), name="hearing"),
    path("<int:pk>/submit-for-review/", views.SubmitForReviewView.as_view(), name="submit-for-review"),
    path("<int:pk>/revise/", views.ReviseView.as_view(), name="revise"),
    path("<int:pk>/meeting/", views.MeetingView.as_view(), name="meeting"),
    path("<int:pk>/party-report/", views.PartyReportView.as_view(), name="party-report"),
    path("<int:pk>/publish/", views.PublishView.as_view(), name="publish"),
    path("<int:pk>/execution-report/", views.ExecutionReportView.as_view(), name="execution-report"),
    path("<int:pk>/suspend/", views.SuspendView.as_view(), name="suspend"),
    path("<int:pk>/resume/", views.ResumeView.as_view(), name="resume"),
    path("<int:pk>/adjust/", views.AdjustView.as_view(), name="adjust"),
    path("<int:pk>/terminate/", views.TerminateView.as_view(), name="terminate"),
    path("<int:pk>/post-evaluation/", views.PostEvaluationStartView.as_view(), name="post-evaluation"),
    path("<int:pk>/post-evaluation/conclude/", views.PostEvaluationConcludeView.as_view(),
         name="post-evaluation-conclude"),
    path("<int:pk>/complete/", views.CompleteView.as_view(), name="complete"),
    path("<int:pk>/archive/", views.ArchiveView.as_view(), name="archive"),
    path("catalog/", views.catalog_manage, name="catalog-manage"),
    path("catalog/<int:year>/", views.catalog_manage, name="catalog-manage-year"),
    path("catalog/<int:year>/items/new/", views.catalog_item_propose, name="catalog-item-propose"),
    path("catalog/<int:year>/compile/", views.catalog_compile, name="catalog-compile"),
    path("catalog/<int:year>/party-consent/", views.catalog_party_consent, name="catalog-party-consent"),
    path("catalog/<int:year>/publish/", views.catalog_publish, name="catalog-publish"),
    path("catalog/<int:year>/adjustments/new/", views.catalog_adjustment_propose, name="catalog-adjustment-propose"),
    path("catalog/adjustments/<int:pk>/decide/", views.catalog_adjustment_decide, name="catalog-adjustment-decide"),
]
