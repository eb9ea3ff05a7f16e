"""Pages of the area «regulation» (mounted under /org/ by institutional/urls/__init__.py)."""

urlpatterns: list = []
