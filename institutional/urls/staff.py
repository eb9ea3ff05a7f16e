"""Pages of the area «staff» (mounted under /org/ by institutional/urls/__init__.py)."""

urlpatterns: list = []
