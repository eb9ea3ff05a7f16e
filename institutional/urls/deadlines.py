"""Pages of the area «deadlines» (mounted under /org/deadlines/ by institutional/urls/__init__.py)."""

from django.urls import path

from institutional.views import deadlines

urlpatterns = [
    path("", deadlines.deadline_list, name="deadlines"),
]
