"""Pages of the area «banks» (mounted under /org/ by institutional/urls/__init__.py)."""

urlpatterns: list = []
