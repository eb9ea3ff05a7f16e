"""Network mentoring through the services: request → release → accept → approval → end, every refusal,
the cap across organizations (sequential), and what the public rows hold."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_tenants.utils import tenant_context

from institutional.dates import organization_today
from institutional.models import (
    Consent,
    ConsentKind,
    EndReason,
    MenteeEntry,
    MentorEntry,
    Pair,
    PairKind,
    Staff,
)
from institutional.selectors.banks import mentor_load, mentor_loads
from institutional.services import pairs as pair_services
from institutional.services.pairs import Replacement
from regional.models import BankMentor, MentorLoad, NetworkRequest, NetworkSeat
from regional.services import network as services
from regional.tests.test_network_factories import (
    MENTEE_DIFFICULTIES,
    MENTEE_LAST_NAME,
    MENTEE_REQUESTS,
    TOPIC,
    accepted,
    approve_in,
    list_in_bank,
    local_pair,
    make_home_mentor,
    make_network,
    make_waiting_mentee,
    request_for,
)
from tenants.models import AuditEvent, Membership, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def net(world):
    return make_network(world)


def _public_state():
    return (
        list(NetworkRequest.objects.order_by("pk").values()),
        list(NetworkSeat.objects.order_by("pk").values()),
        list(MentorLoad.objects.order_by("pk").values()),
    )


def _tenant_state(organization):
    with tenant_context(organization):
        return (
            list(Staff.objects.order_by("pk").values_list("pk", "is_outside")),
            list(MentorEntry.objects.order_by("pk").values_list("pk", "home_entry_id", "capacity")),
            list(Pair.objects.order_by("pk").values_list("pk", "status", "mentor_id")),
            list(MenteeEntry.objects.order_by("pk").values_list("pk", "status")),
        )


def _state(world):
    return (
        _public_state(),
        _tenant_state(world.school_a),
        _tenant_state(world.school_b),
        Membership.objects.count(),
    )


def _ledger(net) -> MentorLoad:
    return MentorLoad.objects.get(organization=net.world.school_b, mentor_entry_id=net.mentor_entry.pk)


# --- the whole flow -----------------------------------------------------------------------------------


def test_request_release_accept_and_approval_put_the_mentee_on_the_mentors_cap(net, world):
    found = request_for(net)
    assert found.status == NetworkRequest.Status.REQUESTED
    assert found.mentee_categories == ["young", "growth_parents"]
    assert found.topic == TOPIC
    assert found.mentor_user_id == world.teacher_b.pk

    found = services.network_request_release(actor=net.director_b, network_request=found, comment="Отпускаем")
    assert (found.status, found.director_decided_by_id, found.director_comment) == (
        NetworkRequest.Status.RELEASED,
        net.director_b.pk,
        "Отпускаем",
    )
    assert found.director_decided_at is not None
    # The decision is in the public audit trail, with who made it.
    released = AuditEvent.objects.filter(table_name="regional_networkrequest", row_id=str(found.pk), action="U").latest(
        "id"
    )
    assert released.actor_id == net.director_b.pk
    assert released.changes["status"] == [NetworkRequest.Status.REQUESTED, NetworkRequest.Status.RELEASED]

    found = services.network_request_accept(actor=world.teacher_b, network_request=found, comment="Готов")
    assert found.status == NetworkRequest.Status.ACCEPTED and found.pair_id
    assert found.mentor_decided_at is not None
    assert Membership.objects.filter(
        user=world.teacher_b, organization=world.school_a, role=Role.MENTOR, is_active=True
    ).exists()

    with tenant_context(world.school_a):
        pair = Pair.objects.get(pk=found.pair_id)
        assert (pair.status, pair.is_network, pair.form, pair.kinds) == (
            Pair.Status.DRAFT,
            True,
            "teacher_teacher",
            [PairKind.VIRTUAL],
        )
        assert pair.starts_on > organization_today() and pair.starts_on.weekday() < 5
        assert (pair.ends_on.year * 12 + pair.ends_on.month) - (pair.starts_on.year * 12 + pair.starts_on.month) == 6
        staff = pair.mentor.staff
        assert staff.is_outside and staff.user_id == world.teacher_b.pk
        assert (staff.last_name, staff.position) == (world.teacher_b.last_name, "учитель математики")
        assert staff.home_organization_name == world.school_b.full_name
        assert (pair.mentor.home_organization_id, pair.mentor.home_entry_id) == (world.school_b.pk, net.mentor_entry.pk)
        assert pair.mentor.capacity == 3 and pair.mentor.visibility == "organization"
        assert [p.mentee_id for p in pair.participants.all()] == [net.mentee.pk]
        # The mentee's consent is still asked for; the outside mentor's are kept at home.
        assert pair_services.missing_consents(pair) == []

    assert _ledger(net).network_mentees == 0  # a draft takes no place
    approve_in(world.school_a, [found.pair_id], number="7-сн", actor=world.director_a)
    assert _ledger(net).network_mentees == 1
    seat = NetworkSeat.objects.get(mentee_organization=world.school_a, pair_id=found.pair_id)
    assert (seat.mentor_organization_id, seat.mentor_entry_id, seat.mentees) == (
        world.school_b.pk,
        net.mentor_entry.pk,
        1,
    )
    with tenant_context(world.school_b):
        assert mentor_load(MentorEntry.objects.get(pk=net.mentor_entry.pk)) == 1
    with tenant_context(world.school_a):
        assert mentor_load(MentorEntry.objects.get(pk=pair.mentor_id)) == 1


def test_missing_consents_still_asks_for_the_mentees_but_not_the_outside_mentors(world):
    net = make_network(world)
    mentee = make_waiting_mentee(world.school_a, last_name="Безсогласиева", consents=False)
    found = accepted(net, mentee=mentee)
    with tenant_context(world.school_a):
        problems = pair_services.missing_consents(Pair.objects.get(pk=found.pair_id))
    assert len(problems) == 1 and "Безсогласиева" in problems[0] and "наставник" not in problems[0].split(":")[0]


def test_the_mentor_declines_or_the_director_declines(net, world):
    found = request_for(net)
    declined = services.network_request_decline_by_director(
        actor=net.director_b, network_request=found, comment="Занят"
    )
    assert declined.status == NetworkRequest.Status.DECLINED_BY_DIRECTOR
    second = request_for(net)  # the first is closed, so asking again is allowed
    second = services.network_request_release(actor=net.director_b, network_request=second)
    refused = services.network_request_decline_by_mentor(actor=world.teacher_b, network_request=second, comment="Нет")
    assert (refused.status, refused.mentor_comment, refused.pair_id) == (
        NetworkRequest.Status.DECLINED_BY_MENTOR,
        "Нет",
        None,
    )
    with tenant_context(world.school_a):
        assert not Pair.objects.exists()


def test_an_open_request_can_be_withdrawn_by_the_mentee_side(net, world):
    found = request_for(net)
    found = services.network_request_cancel(actor=world.council_a, network_request=found)
    assert found.status == NetworkRequest.Status.CANCELLED
    with pytest.raises(ValidationError, match="отозвать его нельзя"):
        services.network_request_cancel(actor=world.council_a, network_request=found)


# --- refusals change nothing ------------------------------------------------------------------------------


def _refused(world, call, message):
    before = _state(world)
    with pytest.raises(ValidationError) as error:
        call()
    assert message in " ".join(error.value.messages), error.value.messages
    assert _state(world) == before


def test_a_mentor_of_the_same_organization_is_refused(net, world):
    own = make_home_mentor(world.school_a, last_name="Своя")
    bank = list_in_bank(world.school_a, own, world=world)

    def call():
        with tenant_context(world.school_a):
            services.network_request_create(
                actor=world.curator_a,
                organization=world.school_a,
                bank_mentor_id=bank.pk,
                mentee_entry_id=net.mentee.pk,
                topic=TOPIC,
            )

    _refused(world, call, "Это наставник вашей организации")


def test_a_mentor_not_visible_to_the_requester_is_refused(net, world):
    hidden = make_home_mentor(world.school_b, last_name="Скрытая")
    bank = list_in_bank(world.school_b, hidden, world=world, visibility=BankMentor.Visibility.MUNICIPALITY)
    bank.municipality = None  # listed to the organizations of regional subordination only
    bank.save()

    def call():
        with tenant_context(world.school_a):
            services.network_request_create(
                actor=world.curator_a,
                organization=world.school_a,
                bank_mentor_id=bank.pk,
                mentee_entry_id=net.mentee.pk,
                topic=TOPIC,
            )

    _refused(world, call, "нет в банке, доступном вашей организации")


def test_a_mentor_without_a_free_place_is_refused(world):
    net = make_network(world, capacity=1)
    local_pair(world.school_b, net.mentor_entry, approve_number="1-лок")
    assert _ledger(net).local_mentees == 1
    _refused(world, lambda: request_for(net), "У наставника нет свободных мест: занято 1 из 1")


def test_a_duplicate_open_request_is_refused(net, world):
    request_for(net)
    _refused(world, lambda: request_for(net), "Запрос этому наставнику для этого наставляемого уже отправлен")


def test_a_mentee_who_is_not_waiting_is_refused(net, world):
    with tenant_context(world.school_a):
        MenteeEntry.objects.filter(pk=net.mentee.pk).update(status=MenteeEntry.Status.IN_PAIR)
    _refused(world, lambda: request_for(net), "не ожидает наставника")


def test_an_empty_or_long_topic_and_a_teacher_as_requester_are_refused(net, world):
    _refused(world, lambda: request_for(net, topic="  "), "Сформулируйте тему")
    _refused(world, lambda: request_for(net, topic="т" * 301), "не длиннее 300")
    _refused(world, lambda: request_for(net, actor=world.teacher_a), "может куратор")


def test_only_the_director_of_the_mentors_organization_decides(net, world):
    found = request_for(net)
    for someone in (world.director_a, world.curator_a, world.teacher_b):
        _refused(
            world,
            lambda someone=someone: services.network_request_release(actor=someone, network_request=found),
            "Решение принимает руководитель организации наставника",
        )
        _refused(
            world,
            lambda someone=someone: services.network_request_decline_by_director(actor=someone, network_request=found),
            "Решение принимает руководитель организации наставника",
        )


@pytest.mark.parametrize(
    ("kind", "label"),
    [
        (ConsentKind.PERSONAL_DATA, "согласия на обработку персональных данных"),
        (ConsentKind.MENTORING_DUTIES, "согласия на выполнение обязанностей наставника"),
    ],
)
def test_release_needs_both_consents_of_the_mentor(net, world, kind, label):
    found = request_for(net)
    with tenant_context(world.school_b):
        Consent.objects.filter(staff_id=net.mentor_entry.staff_id, kind=kind).update(status=Consent.Status.DRAFT)
    _refused(world, lambda: services.network_request_release(actor=net.director_b, network_request=found), label)


def test_release_needs_an_employed_mentor_still_in_the_bank(net, world):
    found = request_for(net)
    with tenant_context(world.school_b):
        MentorEntry.objects.filter(pk=net.mentor_entry.pk).update(is_active=False)
    _refused(
        world,
        lambda: services.network_request_release(actor=net.director_b, network_request=found),
        "исключён из банка наставников",
    )
    with tenant_context(world.school_b):
        MentorEntry.objects.filter(pk=net.mentor_entry.pk).update(is_active=True)
        Staff.objects.filter(pk=net.mentor_entry.staff_id).update(
            status=Staff.Status.DISMISSED, dismissal_date=organization_today()
        )
    _refused(
        world,
        lambda: services.network_request_release(actor=net.director_b, network_request=found),
        "не работает в организации",
    )


def test_only_the_mentor_answers_and_only_after_release(net, world):
    found = request_for(net)
    _refused(
        world,
        lambda: services.network_request_accept(actor=world.teacher_b, network_request=found),
        "Ожидает решения руководителя",
    )
    found = services.network_request_release(actor=net.director_b, network_request=found)
    for someone in (net.director_b, world.curator_a, world.director_a):
        _refused(
            world,
            lambda someone=someone: services.network_request_accept(actor=someone, network_request=found),
            "Ответить на запрос может только сам наставник",
        )


def test_accepting_when_the_places_are_gone_is_refused(world):
    net = make_network(world, capacity=1)
    found = request_for(net)
    found = services.network_request_release(actor=net.director_b, network_request=found)
    local_pair(world.school_b, net.mentor_entry, approve_number="2-лок")
    _refused(
        world,
        lambda: services.network_request_accept(actor=world.teacher_b, network_request=found),
        "У наставника нет свободных мест: занято 1 из 1",
    )


# --- privacy -------------------------------------------------------------------------------------------------


def test_public_rows_hold_nothing_of_the_mentee_beyond_categories_and_topic(net, world):
    found = accepted(net)
    approve_in(world.school_a, [found.pair_id], number="8-сн")
    with tenant_context(world.school_a):
        mentee = MenteeEntry.objects.select_related("staff").get(pk=net.mentee.pk)
        secrets = [
            MENTEE_LAST_NAME,
            mentee.staff.first_name,
            mentee.staff.full_name,
            MENTEE_REQUESTS,
            MENTEE_DIFFICULTIES,
            "ЗАПРОС-МАРКЕР",
            "ЗАТРУДНЕНИЕ-МАРКЕР",
            str(mentee.staff.birth_date),
        ]
    rows = [*NetworkRequest.objects.values(), *NetworkSeat.objects.values(), *MentorLoad.objects.values()]
    assert rows
    dump = repr(rows)
    for secret in secrets:
        assert secret not in dump, secret
    stored = NetworkRequest.objects.get(pk=found.pk)
    assert (stored.mentee_categories, stored.topic) == (["young", "growth_parents"], TOPIC)


# --- the cap across organizations -------------------------------------------------------------------------------


def test_network_mentees_count_against_the_local_cap_and_back(world):
    net = make_network(world, capacity=2)
    local_pair(world.school_b, net.mentor_entry, approve_number="3-лок", mentee_name="Первых")
    found = accepted(net)
    approve_in(world.school_a, [found.pair_id], number="9-сн")
    assert (_ledger(net).local_mentees, _ledger(net).network_mentees) == (1, 1)
    # School B's own next approval sees the network mentee: refused with the capacity message.
    second = local_pair(world.school_b, net.mentor_entry, mentee_name="Вторых")
    with pytest.raises(ValidationError, match=r"уже 2 наставляемых \(из них в других организациях — 1\).*предел — 2"):
        approve_in(world.school_b, [second.pk], number="4-лок")
    with tenant_context(world.school_b):
        assert Pair.objects.get(pk=second.pk).status == Pair.Status.DRAFT
        assert mentor_loads([net.mentor_entry.pk]) == {net.mentor_entry.pk: 2}


def test_a_network_approval_is_refused_when_the_mentor_is_full_at_home(world):
    net = make_network(world, capacity=1)
    found = accepted(net)
    local_pair(world.school_b, net.mentor_entry, approve_number="5-лок")
    with pytest.raises(ValidationError, match=r"уже 1 наставляемых.*предел — 1"):
        approve_in(world.school_a, [found.pair_id], number="10-сн")
    with tenant_context(world.school_a):
        assert Pair.objects.get(pk=found.pair_id).status == Pair.Status.DRAFT
    assert not NetworkSeat.objects.exists()


@pytest.mark.parametrize("side", ["local", "network"])
def test_the_database_enforces_the_cross_organization_cap(world, monkeypatch, side):
    """With the services' pre-check switched off, the trigger refuses and the message is translated."""
    net = make_network(world, capacity=1)
    found = accepted(net)
    monkeypatch.setattr(pair_services, "_over_capacity", lambda mentor, adding: False)
    if side == "local":
        approve_in(world.school_a, [found.pair_id], number="11-сн")
        draft = local_pair(world.school_b, net.mentor_entry, mentee_name="Лишних")
        organization, pair_id, number = world.school_b, draft.pk, "6-лок"
    else:
        local_pair(world.school_b, net.mentor_entry, approve_number="6-лок")
        organization, pair_id, number = world.school_a, found.pair_id, "11-сн"
    with pytest.raises(ValidationError, match="предел — 1"):
        approve_in(organization, [pair_id], number=number)
    with tenant_context(organization):
        assert Pair.objects.get(pk=pair_id).status == Pair.Status.DRAFT
    assert _ledger(net).total == 1


def test_the_ledger_follows_the_capacity_of_the_bank_entry(net, world):
    assert _ledger(net).capacity == 3
    with tenant_context(world.school_b):
        from institutional.services.banks import mentor_entry_update

        mentor_entry_update(actor=None, entry=MentorEntry.objects.get(pk=net.mentor_entry.pk), data={"capacity": 2})
    assert _ledger(net).capacity == 2


# --- the end --------------------------------------------------------------------------------------------------


def _approved_network_pair(net, world, number="12-сн"):
    found = accepted(net)
    approve_in(world.school_a, [found.pair_id], number=number)
    return found


def test_ending_the_network_pair_drops_the_seat_and_ends_the_request(net, world, django_capture_on_commit_callbacks):
    found = _approved_network_pair(net, world)
    with tenant_context(world.school_a):
        pair = Pair.objects.get(pk=found.pair_id)
        # The setup's refreshes are pending too (the test transaction never commits): one refresh per
        # organization and transaction, so they are dropped to see what ending the pair asks for.
        connection.run_on_commit.clear()
        with django_capture_on_commit_callbacks() as callbacks:
            pair_services.pair_end(
                actor=world.curator_a,
                pair=pair,
                reason=EndReason.MUTUAL,
                ended_on=organization_today(),
                note="Наставляемый перешёл в другую организацию",
            )
    assert NetworkRequest.objects.get(pk=found.pk).status == NetworkRequest.Status.ENDED
    assert not NetworkSeat.objects.exists()
    assert _ledger(net).network_mentees == 0
    refreshed = {getattr(callback, "projection_schema", None) for callback in callbacks}
    assert {world.school_a.schema_name, world.school_b.schema_name} <= refreshed


def test_replacing_the_network_mentor_ends_the_request(net, world):
    found = _approved_network_pair(net, world, number="13-сн")
    local = make_home_mentor(world.school_a, last_name="Заменова")
    with tenant_context(world.school_a):
        pair = Pair.objects.get(pk=found.pair_id)
        pair_services.pair_replace_mentor(
            actor=world.director_a,
            pair=pair,
            replacement=Replacement(
                new_mentor=MentorEntry.objects.get(pk=local.pk),
                reason="request",
                order_number="14-сн",
                order_date=organization_today(),
            ),
        )
        pair.refresh_from_db()
        assert (pair.mentor_id, pair.is_network) == (local.pk, False)
        assert MentorLoad.objects.get(organization=world.school_a, mentor_entry_id=local.pk).local_mentees == 1
    assert NetworkRequest.objects.get(pk=found.pk).status == NetworkRequest.Status.ENDED
    assert not NetworkSeat.objects.exists() and _ledger(net).network_mentees == 0


def test_deleting_the_network_draft_withdraws_the_request(net, world):
    found = accepted(net)
    with tenant_context(world.school_a):
        pair_services.pair_delete(actor=world.curator_a, pair=Pair.objects.get(pk=found.pair_id))
    assert NetworkRequest.objects.get(pk=found.pk).status == NetworkRequest.Status.CANCELLED


def test_an_outside_mentor_cannot_be_taken_without_a_request(net, world):
    found = accepted(net)
    other = make_waiting_mentee(world.school_a, last_name="Другая")
    with tenant_context(world.school_a):
        outside = Pair.objects.get(pk=found.pair_id).mentor
        today = organization_today()
        with pytest.raises(ValidationError, match="только по запросу сетевого наставничества"):
            pair_services.pair_create(
                actor=world.curator_a,
                mentor=outside,
                mentees=[MenteeEntry.objects.get(pk=other.pk)],
                form="teacher_teacher",
                kinds=["virtual"],
                starts_on=today,
                ends_on=today + timedelta(days=180),
            )


def test_a_second_request_reuses_the_outside_records(world):
    net = make_network(world, capacity=3)
    first = accepted(net)
    other = make_waiting_mentee(world.school_a, last_name="Вторая")
    second = accepted(net, mentee=other)
    with tenant_context(world.school_a):
        assert Staff.objects.filter(user_id=world.teacher_b.pk).count() == 1
        assert MentorEntry.objects.filter(home_entry_id=net.mentor_entry.pk, is_active=True).count() == 1
        pairs = Pair.objects.filter(pk__in=[first.pair_id, second.pair_id])
        assert len({pair.mentor_id for pair in pairs}) == 1
    approve_in(world.school_a, [first.pair_id, second.pair_id], number="15-сн")
    assert _ledger(net).network_mentees == 2
    assert sorted(NetworkSeat.objects.values_list("mentees", flat=True)) == [1, 1]


def test_a_person_employed_in_both_organizations_is_taken_through_the_local_bank(world):
    net = make_network(world)
    with tenant_context(world.school_a):
        from institutional.tests.test_banks_factories import make_staff

        make_staff("Совместителева", user=world.teacher_b)
    _refused(world, lambda: request_for(net), "работает и в вашей организации")


def test_the_migration_reverses_to_the_same_organization_cap(world, monkeypatch):
    """0018's reverse SQL restores 0010's function: no ledger, the cap within one organization holds."""
    import importlib

    migration = importlib.import_module("institutional.migrations.0018_network_capacity")
    entry = make_home_mentor(world.school_a, last_name="Обратная", capacity=1)
    with tenant_context(world.school_a), connection.cursor() as cursor:
        cursor.execute(migration.REVERSE)
        cursor.execute(
            "SELECT count(*) FROM pg_proc WHERE proname IN ('keep_mentor_capacity', 'recompute_mentor_load')"
            " AND pronamespace = current_schema()::regnamespace"
        )
        assert cursor.fetchone()[0] == 0
    first = local_pair(world.school_a, entry, approve_number="1-обр", mentee_name="Первая")
    second = local_pair(world.school_a, entry, mentee_name="Вторая")
    with tenant_context(world.school_a):
        assert Pair.objects.get(pk=first.pk).status != Pair.Status.DRAFT
    assert MentorLoad.objects.get(organization=world.school_a, mentor_entry_id=entry.pk).local_mentees == 0
    monkeypatch.setattr(pair_services, "_over_capacity", lambda mentor, adding: False)
    with pytest.raises(ValidationError, match="предел — 1"):
        approve_in(world.school_a, [second.pk], number="2-обр")
