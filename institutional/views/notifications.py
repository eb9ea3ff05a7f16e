"""The signed-in person's notifications and reminders in this organization (tenant schema)."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from institutional.models import Notification


def notification_list(request):
    notifications = Notification.objects.filter(user_id=request.user.pk)[:200]
    return render(request, "institutional/notifications.html", {"notifications": notifications})


@require_POST
def notification_read_all(request):
    Notification.objects.filter(user_id=request.user.pk, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("institutional:notification_list")
