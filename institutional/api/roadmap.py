"""API of the area «roadmap» (mounted under /api/v1/org/ by institutional/api/urls.py)."""

urlpatterns: list = []
