"""API of the area «staff» (mounted under /api/v1/org/ by institutional/api/urls.py)."""

urlpatterns: list = []
