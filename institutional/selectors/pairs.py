"""Read path of pairs and groups (tenant schema).

`access_pair` is the only way a view gets a pair by id: STAFF_READERS see every pair, a member sees
the pairs they take part in; missing and forbidden answer the same "not found".
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from institutional.access import STAFF_READERS, has_any_role, own_staff
from institutional.models import Pair


def pair_list(*, status: str = "", form: str = "") -> QuerySet[Pair]:
    pairs = Pair.objects.select_related("mentor__staff", "order").prefetch_related("participants__mentee__staff")
    if status:
        pairs = pairs.filter(status=status)
    if form:
        pairs = pairs.filter(form=form)
    return pairs


def pairs_visible(request) -> QuerySet[Pair]:
    if has_any_role(request, STAFF_READERS):
        return pair_list()
    staff = own_staff(request)
    if staff is None:
        return Pair.objects.none()
    return pair_list().filter(Q(mentor__staff=staff) | Q(participants__mentee__staff=staff)).distinct()


def access_pair(*, request, pair_id: int) -> Pair:
    pair = pairs_visible(request).filter(pk=pair_id).first()
    if pair is None:
        raise Http404("Пара (группа) не найдена.")
    return pair
