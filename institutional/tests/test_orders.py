"""Order register: DOCX per kind, encouragement orders, signed scans, and the pages' permission matrix."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from institutional.dates import organization_today
from institutional.documents.orders import order_docx_bytes
from institutional.models import Order, Pair
from institutional.services import orders as order_services
from institutional.services import pairs as services
from institutional.tests.pair_factories import make_draft, make_mentee, make_mentor
from institutional.tests.test_banks_factories import PNG, ReusableUpload, scan
from nastavnik.documents import document_text
from tests.permissions import check_matrix

pytestmark = pytest.mark.django_db


def _approved_order():
    mentor = make_mentor(last_name="Кузнецова")
    pair = make_draft(mentor, [make_mentee(last_name="Новикова"), make_mentee(last_name="Орлова")])
    return services.pair_approve(actor=None, pairs=[pair], order_number="42-о", order_date=organization_today())


def test_pairs_approval_docx_lists_the_pairs_in_an_appendix_table(in_school_a):
    order = _approved_order()
    text = document_text(order_docx_bytes(order))
    assert "ПРИКАЗ" in text and "№ 42-о" in text
    assert "В соответствии с Положением о системе наставничества" in text
    assert "ПРИКАЗЫВАЮ:" in text
    assert "1. Утвердить наставнические пары (группы) согласно приложению" in text
    assert "№ п/п | Наставник | Наставляемый (наставляемые) | Форма наставничества | Вид (виды) | Срок" in text
    assert "Кузнецова Анна Петровна" in text and "Новикова" in text and "Орлова" in text
    assert "Педагог – педагог" in text and "Традиционное (один на один)" in text


def test_replacement_and_encouragement_docx(in_school_a):
    order = _approved_order()
    pair = Pair.objects.get(order=order)
    record = services.pair_replace_mentor(
        actor=None,
        pair=pair,
        replacement=services.Replacement(
            new_mentor=make_mentor(last_name="Зайцева"),
            reason="contract_ended",
            order_number="43-о",
            order_date=organization_today(),
        ),
    )
    text = document_text(order_docx_bytes(record.order))
    assert "Прекращение трудового договора с наставником" in text and "Зайцева" in text
    encouragement = order_services.order_encouragement_create(
        actor=None,
        number="44-о",
        day=organization_today(),
        title="",
        persons=["Кузнецова А. П., учитель математики", " "],
        grounds="успешную реализацию программы наставничества",
    )
    text = document_text(order_docx_bytes(encouragement))
    assert "Объявить благодарность" in text and "1.1. Кузнецова А. П., учитель математики;" in text


def test_encouragement_refused_without_persons_or_with_a_future_date(in_school_a):
    with pytest.raises(ValidationError, match="хотя бы одного"):
        order_services.order_encouragement_create(
            actor=None, number="1", day=organization_today(), title="", persons=[]
        )
    with pytest.raises(ValidationError, match="в будущем"):
        order_services.order_encouragement_create(
            actor=None, number="1", day=organization_today() + timedelta(days=2), title="", persons=["А"]
        )
    assert not Order.objects.exists()


def test_a_signed_scan_makes_the_order_signed_and_a_non_scan_is_refused(in_school_a):
    order = _approved_order()
    with pytest.raises(ValidationError, match="допустимого формата"):
        order_services.order_attach_scan(actor=None, order=order, scan=scan(b"hello", "x.pdf"))
    order.refresh_from_db()
    assert order.status == Order.Status.DRAFT
    order_services.order_attach_scan(actor=None, order=order, scan=scan(PNG, "x.png"))
    order.refresh_from_db()
    assert order.status == Order.Status.SIGNED and order.signed_scan


def _in_a(world, build):
    connection.set_tenant(world.school_a)
    try:
        return build()
    finally:
        connection.set_schema_to_public()


def _counts():
    return (Order.objects.count(), list(Pair.objects.values_list("status", flat=True)))


OVERSEERS = ("curator", "council_member", "director")


def test_order_pages_permission_matrix(world, client_on):
    order = _in_a(world, _approved_order)
    for path in ("/org/orders/", f"/org/orders/{order.pk}/", f"/org/orders/{order.pk}/docx/"):
        check_matrix(world, client_on, "get", path, allowed=OVERSEERS)
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/orders/{order.pk}/scan/upload/",
        allowed=("curator",),
        roles=("teacher", "psychologist", "curator"),
        data={"scan": ReusableUpload()},
        state=lambda: list(Order.objects.values_list("status", flat=True)),
    )
    check_matrix(world, client_on, "get", f"/org/orders/{order.pk}/scan/", allowed=OVERSEERS)
    check_matrix(
        world,
        client_on,
        "post",
        "/org/orders/encouragement/",
        allowed=("director",),
        data={"order_number": "77", "order_date": organization_today().isoformat(), "persons": "Иванова И. И."},
        state=_counts,
    )


def test_pair_pages_permission_matrix(world, client_on):
    def build():
        return make_draft(make_mentor(), [make_mentee()]), make_mentee()

    pair, spare = _in_a(world, build)
    readers = (*OVERSEERS, "psychologist")
    for path in ("/org/pairs/", f"/org/pairs/{pair.pk}/"):
        check_matrix(world, client_on, "get", path, allowed=readers)
    check_matrix(world, client_on, "get", "/org/pairs/new/", allowed=("curator", "council_member"))
    check_matrix(world, client_on, "get", "/org/pairs/approve/", allowed=("director",))
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/pairs/{pair.pk}/edit/",
        allowed=("curator",),
        roles=("teacher", "psychologist", "curator"),
        data={
            "mentor": pair.mentor_id,
            "mentees": [spare.pk],
            "form": "teacher_teacher",
            "kinds": ["traditional"],
            "starts_on": pair.starts_on.isoformat(),
            "ends_on": pair.ends_on.isoformat(),
        },
        state=lambda: list(Pair.objects.values_list("participants__mentee_id", flat=True)),
    )
    check_matrix(
        world,
        client_on,
        "post",
        "/org/pairs/approve/",
        allowed=("director",),
        data={"pairs": [pair.pk], "order_number": "5", "order_date": organization_today().isoformat()},
        state=_counts,
    )
    assert _in_a(world, lambda: Pair.objects.get(pk=pair.pk).status) == Pair.Status.ACTIVE
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/pairs/{pair.pk}/end/",
        allowed=("curator",),
        roles=("teacher", "psychologist", "curator"),
        data={"reason": "mutual", "ended_on": organization_today().isoformat(), "note": "переезд"},
        state=_counts,
    )
    assert _in_a(world, lambda: Pair.objects.get(pk=pair.pk).status) == Pair.Status.ENDED_EARLY
