"""Pages of the area «matching» (mounted under /org/matching/ by institutional/urls/__init__.py)."""

from django.urls import path

from institutional.views import matching

urlpatterns = [
    path("", matching.suggestions, name="matching"),
    path("pair/", matching.suggestion_pair, name="matching_pair_create"),
    path("rounds/", matching.round_list, name="matching_round_list"),
    path("rounds/add/", matching.round_add, name="matching_round_add"),
    path("rounds/<int:round_id>/", matching.round_detail, name="matching_round_detail"),
    path("rounds/<int:round_id>/run/", matching.round_run, name="matching_round_run"),
    path("rounds/<int:round_id>/proposal/", matching.proposal_edit, name="matching_proposal_edit"),
    path("rounds/<int:round_id>/send/", matching.round_send, name="matching_round_send"),
    path(
        "rounds/<int:round_id>/preferences/<int:preference_id>/",
        matching.preference_edit,
        name="matching_preference_edit",
    ),
]
