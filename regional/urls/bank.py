"""Pages of the unified regional mentor bank (every tenant host; `regional.views.bank` decides what is shown)."""

from django.urls import path

from regional.views import bank

urlpatterns = [
    path("", bank.search, name="search"),
    path("<int:pk>/", bank.detail, name="detail"),
]
