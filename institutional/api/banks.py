"""API of the area «banks» (mounted under /api/v1/org/ by institutional/api/urls.py)."""

urlpatterns: list = []
