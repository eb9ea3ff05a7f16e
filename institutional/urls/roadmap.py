"""Pages of the area «roadmap» (mounted under /org/ by institutional/urls/__init__.py)."""

urlpatterns: list = []
