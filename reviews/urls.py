"""Pages of the legality review queue, mounted under /work/ (namespace ``reviews``)."""
from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("reviews/", views.review_queue, name="review-queue"),
    path("reviews/<int:pk>/", views.review_detail, name="review-detail"),
    path("reviews/<int:pk>/claim/", views.review_claim, name="review-claim"),
    path("reviews/<int:pk>/assign/", views.review_assign, name="review-assign"),
]
