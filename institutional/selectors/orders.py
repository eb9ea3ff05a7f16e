"""Read path of the order register (tenant schema); the caller has checked the role (OVERSEERS)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from institutional.models import Order


def order_list(*, kind: str = "") -> QuerySet[Order]:
    orders = Order.objects.all()
    if kind:
        # An order may carry several decisions (content["items"]): it is found under each of their kinds.
        orders = orders.filter(Q(kind=kind) | Q(content__items__contains=[{"kind": kind}]))
    return orders


def access_order(*, order_id: int) -> Order:
    order = Order.objects.filter(pk=order_id).first()
    if order is None:
        raise Http404("Приказ не найден.")
    return order
