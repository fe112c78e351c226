"""OPTIONS on every API view: the view's name, description, media types and allowed methods.

DRF's default metadata also describes the POST/PUT body by instantiating ``get_serializer()``,
which our views (one nested InputSerializer per action, see STYLE.md) do not provide, so OPTIONS
answered 500. The request bodies are described in the OpenAPI schema (``/api/schema/``)."""
from __future__ import annotations

from rest_framework.metadata import SimpleMetadata


class ApiMetadata(SimpleMetadata):
    def determine_actions(self, request, view) -> dict:
        return {}

    def determine_metadata(self, request, view) -> dict:
        metadata = super().determine_metadata(request, view)
        metadata.pop("actions", None)
        metadata["allowed_methods"] = list(view.allowed_methods)
        return metadata
