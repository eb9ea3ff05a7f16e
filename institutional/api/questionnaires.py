"""API of the area «questionnaires» (mounted under /api/v1/org/ by institutional/api/urls.py)."""

urlpatterns: list = []
