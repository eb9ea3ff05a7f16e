"""Pages of the area «cabinets» (mounted under /org/cabinet/ by institutional/urls/__init__.py)."""

from django.urls import path

from institutional.views import cabinets as views

urlpatterns = [
    path("board/", views.board, name="board"),
    path("approvals/", views.approvals, name="approvals"),
]
