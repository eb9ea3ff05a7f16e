"""Pages of the area «questionnaires» (mounted under /org/ by institutional/urls/__init__.py)."""

urlpatterns: list = []
