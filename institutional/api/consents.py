"""API of the area «consents» (mounted under /api/v1/org/ by institutional/api/urls.py)."""

urlpatterns: list = []
