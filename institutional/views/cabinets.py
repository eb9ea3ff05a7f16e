"""Pages of the cabinets (tenant schema): the curator's board of pairs and the director's approvals queue.

The mentor's and the mentee's sections live in «Мой кабинет» (institutional.views.me), built by
institutional.selectors.cabinets.cabinet_for.
"""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from institutional.access import DIRECTORS, OVERSEERS, has_any_role, roles_required
from institutional.models import Pair, PairForm
from institutional.selectors import cabinets as selectors


@require_GET
@roles_required(OVERSEERS)
def board(request):
    data = selectors.board(status=request.GET.get("status", ""), form=request.GET.get("form", ""))
    return render(
        request,
        "institutional/cabinets/board.html",
        {
            "board": data,
            "statuses": Pair.Status.choices,
            "forms": PairForm.choices,
            "can_see_approvals": has_any_role(request, selectors.APPROVALS_READERS),
        },
    )


@require_GET
@roles_required(selectors.APPROVALS_READERS)
def approvals(request):
    return render(
        request,
        "institutional/cabinets/approvals.html",
        {"queue": selectors.approvals(), "can_approve": has_any_role(request, DIRECTORS)},
    )
