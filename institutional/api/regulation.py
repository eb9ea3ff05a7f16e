"""API of the area «regulation» (mounted under /api/v1/org/ by institutional/api/urls.py)."""

urlpatterns: list = []
