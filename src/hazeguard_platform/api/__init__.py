"""The REST API (django-ninja) and its OpenAPI document."""
