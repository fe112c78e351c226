from django.urls import path

from . import views

app_name = "reviews-api"

urlpatterns = [
    path("reviews/", views.ReviewQueueApi.as_view(), name="review-list"),
    path("reviews/<int:pk>/", views.ReviewDetailApi.as_view(), name="review-detail"),
    path("reviews/<int:pk>/claim/", views.ReviewClaimApi.as_view(), name="review-claim"),
    path("reviews/<int:pk>/assign/", views.ReviewAssignApi.as_view(), name="review-assign"),
    path("reviews/<int:pk>/decide/", views.ReviewDecideApi.as_view(), name="review-decide"),
]
