from django.urls import path

from . import transparency

app_name = "transparency"

urlpatterns = [
    path("", transparency.transparency, name="index"),
    path("feed/", transparency.CheckpointFeed(), name="feed"),
    path("checkpoints/<int:pk>.json", transparency.checkpoint_json, name="checkpoint"),
]
