"""Pages of the area «consents» (mounted under /org/ by institutional/urls/__init__.py)."""

urlpatterns: list = []
