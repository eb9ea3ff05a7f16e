"""The page of deadlines (tenant schema): what is due and what is overdue.

The curator, the council and the director see every open deadline of the organization; everyone
else sees only the deadlines where they are among those responsible.
"""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from institutional.access import OVERSEERS, has_any_role
from institutional.dates import organization_today
from institutional.selectors import deadlines as selectors


@require_GET
def deadline_list(request):
    today = organization_today()
    deadlines = selectors.deadlines_visible(request, today=today)
    return render(
        request,
        "institutional/deadlines/list.html",
        {
            "deadlines": deadlines,
            "overdue_count": sum(1 for d in deadlines if d.is_overdue),
            "today": today,
            "sees_everyone": has_any_role(request, OVERSEERS),
        },
    )
