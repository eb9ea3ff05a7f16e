"""Matching pages, services and API: suggestions, rounds of mutual preference, sending for approval,
and the permission matrix of every page and endpoint."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from institutional.models import MatchingRound, MatchPreference, MatchProposal, MenteeCategory, Pair
from institutional.services import banks as bank_services
from institutional.services import matching as services
from institutional.tests.test_banks_factories import make_staff, signed_consent, use_media_root
from tests.permissions import ROLE_USERS, check_matrix

MANAGERS = ("curator", "council_member")
OVERSEERS = ("curator", "director", "council_member")


@dataclass
class World:
    mentee_ids: list[int]
    mentor_ids: list[int]
    round_id: int
    own_preference_id: int
    other_preference_id: int


def _entries():
    young = [
        make_staff("Молодова", subjects=["Математика"], pedagogical_experience_years=1, total_experience_years=1),
        make_staff("Новикова", subjects=["История"]),
        make_staff("Юнцова", subjects=["Химия"]),
    ]
    mentees = [
        bank_services.mentee_entry_create(
            actor=None,
            staff=person,
            categories=[MenteeCategory.YOUNG],
            requests="Подготовка к ОГЭ по математике" if i == 0 else "Работа с родителями",
        )
        for i, person in enumerate(young)
    ]
    seniors = [
        make_staff("Опытнова", subjects=["Математика"], pedagogical_experience_years=20, total_experience_years=25),
        make_staff("Мудрова", subjects=["Литература"], pedagogical_experience_years=15, total_experience_years=20),
    ]
    mentors = [
        bank_services.mentor_entry_create(
            actor=None, staff=seniors[0], competencies="Методика преподавания: математика, ОГЭ", capacity=1
        ),
        bank_services.mentor_entry_create(
            actor=None, staff=seniors[1], competencies="Работа с родителями, классное руководство", capacity=2
        ),
    ]
    return mentees, mentors


@pytest.fixture
def objects(world, in_school_a, settings, tmp_path):
    use_media_root(settings, tmp_path)
    mentees, mentors = _entries()
    own = make_staff("Педагогова", user=world.teacher_a)
    own_mentee = bank_services.mentee_entry_create(actor=None, staff=own, categories=[MenteeCategory.YOUNG])
    matching_round = services.round_create(actor=None, title="После встречи 15 сентября")
    own_row = MatchPreference.objects.get(round=matching_round, mentee=own_mentee)
    other_row = MatchPreference.objects.get(round=matching_round, mentee=mentees[0])
    yield World(
        [m.pk for m in mentees] + [own_mentee.pk], [m.pk for m in mentors], matching_round.pk, own_row.pk, other_row.pk
    )
    use_media_root(settings, tmp_path)


def state():
    return (
        list(MatchingRound.objects.order_by("pk").values_list("pk", "status", "title")),
        list(MatchPreference.objects.order_by("pk").values_list("pk", "ranked", "support_note")),
        list(MatchProposal.objects.order_by("pk").values_list("mentee_id", "mentor_id")),
        Pair.objects.count(),
    )


# --- suggestions ----------------------------------------------------------------------------------


def test_suggestions_rank_the_matching_mentor_first_with_a_readable_breakdown(world, in_school_a, settings, tmp_path):
    use_media_root(settings, tmp_path)
    mentees, mentors = _entries()
    signed_consent(staff=mentors[0].staff)
    from institutional.selectors.matching import suggestions_for

    (row,) = suggestions_for(mentees=[mentees[0]])
    best = row.suggestions[0]
    assert best.mentor.id == mentors[0].pk
    text = "\n".join(best.lines())
    assert "«математике» (запрос) — «математика» (компетенции)" in text
    assert "общие предметы: Математика" in text
    assert "нет согласия: наставника на выполнение обязанностей наставника" in text
    assert "нет согласия: наставника на обработку" not in text


def test_suggestions_page_shows_scores_and_creates_a_draft_pair(world, client_on, objects):
    host = world.host(world.school_a)
    page = client_on(host, world.curator_a).get("/org/matching/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "Молодова" in content and "«математике» (запрос)" in content and "Создать пару" in content
    director_page = client_on(host, world.director_a).get("/org/matching/").content.decode()
    assert "Создать пару" not in director_page
    response = client_on(host, world.curator_a).post(
        "/org/matching/pair/", {"mentee": objects.mentee_ids[0], "mentor": objects.mentor_ids[0]}
    )
    assert response.status_code == 302
    pair = Pair.objects.get()
    assert pair.status == Pair.Status.DRAFT and pair.mentor_id == objects.mentor_ids[0]
    assert list(pair.participants.values_list("mentee_id", flat=True)) == [objects.mentee_ids[0]]


# --- rounds ---------------------------------------------------------------------------------------


def test_round_assignment_respects_mutual_choice_and_capacity_and_sends_draft_pairs(world, objects):
    o = objects
    matching_round = MatchingRound.objects.get(pk=o.round_id)
    rows = {r.mentee_id or -r.mentor_id: r for r in matching_round.preferences.all()}
    m0, m1, m2, _own = o.mentee_ids
    r0, r1 = o.mentor_ids
    services.preference_set(actor=None, preference=rows[m0], ranked=[r0, r1])
    services.preference_set(actor=None, preference=rows[m1], ranked=[r0, r1])
    services.preference_set(actor=None, preference=rows[m2], ranked=[r0], support_note="Консультации психолога")
    services.preference_set(actor=None, preference=rows[-r0], ranked=[m1, m0, m2])
    services.preference_set(actor=None, preference=rows[-r1], ranked=[m0, m1])
    services.round_run(actor=None, matching_round=matching_round)
    proposal = dict(matching_round.proposals.values_list("mentee_id", "mentor_id"))
    assert proposal == {m1: r0, m0: r1}  # m2 ranked only the full mentor r0: unmatched
    from institutional.selectors.matching import round_view

    view = round_view(matching_round)
    unmatched = {row.mentee_id: row.support_note for row, _ in view.unmatched}
    assert unmatched == {m2: "Консультации психолога", _own: ""}
    # the curator cannot put a second mentee on a mentor with one place
    with pytest.raises(ValidationError, match="свободных мест: 1"):
        services.proposal_set(actor=None, matching_round=matching_round, mentee_id=m2, mentor_id=r0)
    warnings = services.proposal_set(actor=None, matching_round=matching_round, mentee_id=m2, mentor_id=r1)
    assert any("не выбрал" in w for w in warnings)
    pairs = services.round_send(actor=None, matching_round=matching_round, group_mentor_ids=[r1])
    assert len(pairs) == 2
    group = next(p for p in pairs if p.mentor_id == r1)
    assert sorted(group.participants.values_list("mentee_id", flat=True)) == sorted([m0, m2])
    assert group.kinds == ["group"] and group.status == Pair.Status.DRAFT
    matching_round.refresh_from_db()
    assert matching_round.status == MatchingRound.Status.SENT
    with pytest.raises(ValidationError, match="уже отправлен"):
        services.round_run(actor=None, matching_round=matching_round)


def test_preferences_refuse_duplicates_and_outsiders(world, objects):
    row = MatchPreference.objects.get(pk=objects.other_preference_id)
    with pytest.raises(ValidationError):
        services.preference_set(actor=None, preference=row, ranked=[objects.mentor_ids[0]] * 2)
    with pytest.raises(ValidationError):
        services.preference_set(actor=None, preference=row, ranked=[objects.mentee_ids[1]])  # a mentee, not a mentor
    assert MatchPreference.objects.get(pk=row.pk).ranked == []


def test_participant_ranks_on_their_own_page_only(world, client_on, objects):
    host = world.host(world.school_a)
    client = client_on(host, world.teacher_a)
    own = f"/org/matching/rounds/{objects.round_id}/preferences/{objects.own_preference_id}/"
    other = f"/org/matching/rounds/{objects.round_id}/preferences/{objects.other_preference_id}/"
    assert client.get(own).status_code == 200
    assert client.get(other).status_code == 404
    r0, r1 = objects.mentor_ids
    response = client.post(own, {f"place_{r1}": "1", f"place_{r0}": "2"})
    assert response.status_code == 302
    assert MatchPreference.objects.get(pk=objects.own_preference_id).ranked == [r1, r0]
    response = client.post(own, {f"place_{r1}": "1", f"place_{r0}": "1"})
    assert response.status_code == 400 and "уже отдано" in response.content.decode()


# --- permission matrix ----------------------------------------------------------------------------


def test_page_matrix(world, client_on, objects):
    o = objects
    check_matrix(world, client_on, "get", "/org/matching/", allowed=OVERSEERS)
    check_matrix(world, client_on, "get", f"/org/matching/rounds/{o.round_id}/", allowed=OVERSEERS)
    check_matrix(world, client_on, "get", "/org/matching/rounds/add/", allowed=MANAGERS)
    check_matrix(
        world,
        client_on,
        "get",
        f"/org/matching/rounds/{o.round_id}/preferences/{o.other_preference_id}/",
        allowed=MANAGERS,
    )
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/matching/rounds/{o.round_id}/preferences/{o.other_preference_id}/",
        allowed=MANAGERS,
        data={f"place_{o.mentor_ids[0]}": "1"},
        state=state,
    )
    check_matrix(world, client_on, "post", f"/org/matching/rounds/{o.round_id}/run/", allowed=MANAGERS, state=state)
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/matching/rounds/{o.round_id}/proposal/",
        allowed=MANAGERS,
        data={"mentee": o.mentee_ids[0], "mentor": o.mentor_ids[1]},
        state=state,
    )
    _check_round_creation(world, client_on, "/org/matching/rounds/add/", data={"title": "Тур"})
    check_matrix(
        world,
        client_on,
        "post",
        "/org/matching/pair/",
        allowed=MANAGERS,
        data={"mentee": o.mentee_ids[1], "mentor": o.mentor_ids[1]},
        state=state,
    )
    check_matrix(world, client_on, "post", f"/org/matching/rounds/{o.round_id}/send/", allowed=MANAGERS, state=state)


def _check_round_creation(world, client_on, path, **request):
    """Each manager opens a round for a newly waiting mentee (one undecided round per mentee)."""
    refused = [role for role in ROLE_USERS if role not in MANAGERS]
    for index, role in enumerate(sorted(MANAGERS)):
        connection.set_tenant(world.school_a)
        bank_services.mentee_entry_create(
            actor=None, staff=make_staff(f"Новикова{index}"), categories=[MenteeCategory.YOUNG]
        )
        connection.set_schema_to_public()
        check_matrix(
            world, client_on, "post", path, allowed=(role,), roles=refused if index == 0 else (), state=state, **request
        )


def test_api_matrix(world, client_on, objects):
    o = objects
    base = "/api/v1/org/matching"
    check_matrix(world, client_on, "get", f"{base}/suggestions/{o.mentee_ids[0]}/", allowed=OVERSEERS)
    check_matrix(world, client_on, "get", f"{base}/rounds/", allowed=OVERSEERS)
    check_matrix(world, client_on, "get", f"{base}/rounds/{o.round_id}/", allowed=OVERSEERS)
    check_matrix(
        world,
        client_on,
        "put",
        f"{base}/rounds/{o.round_id}/preferences/{o.other_preference_id}/",
        allowed=MANAGERS,
        data={"ranked": [o.mentor_ids[0]]},
        content_type="application/json",
        state=state,
    )
    check_matrix(world, client_on, "post", f"{base}/rounds/{o.round_id}/run/", allowed=MANAGERS, state=state)
    _check_round_creation(world, client_on, f"{base}/rounds/", data={"title": "Тур"}, content_type="application/json")
    services.proposal_set(
        actor=None,
        matching_round=MatchingRound.objects.get(pk=o.round_id),
        mentee_id=o.mentee_ids[2],
        mentor_id=o.mentor_ids[1],
    )
    check_matrix(
        world,
        client_on,
        "post",
        f"{base}/rounds/{o.round_id}/send/",
        allowed=("curator",),
        roles=("director", "teacher", "psychologist"),
        state=state,
    )
    assert Pair.objects.filter(participants__mentee_id=o.mentee_ids[2], status=Pair.Status.DRAFT).exists()
    # the council member holds the right too: the round is already sent, so a clear refusal, not "not found"
    again = client_on(world.host(world.school_a), world.council_a).post(f"{base}/rounds/{o.round_id}/send/")
    assert again.status_code == 400 and "уже отправлен" in again.content.decode()


def test_api_suggestions_carry_the_breakdown(world, client_on, objects):
    response = client_on(world.host(world.school_a), world.curator_a).get(
        f"/api/v1/org/matching/suggestions/{objects.mentee_ids[0]}/"
    )
    assert response.status_code == 200
    first = response.json()["suggestions"][0]
    assert first["mentor_id"] == objects.mentor_ids[0]
    assert {
        "mentee_word": "математике",
        "mentee_source": "запрос",
        "mentor_word": "математика",
        "mentor_source": "компетенции",
    } in first["word_matches"]
    assert first["breakdown"]


def test_a_mentee_takes_part_in_one_undecided_round_at_a_time(world, objects):
    before = state()
    with pytest.raises(ValidationError, match="уже участвуют в незавершённом туре"):
        services.round_create(actor=None, title="Ещё один тур")
    assert state() == before
    latecomer = bank_services.mentee_entry_create(
        actor=None, staff=make_staff("Позднякова"), categories=[MenteeCategory.YOUNG]
    )
    second = services.round_create(actor=None, title="Для пришедших позже")
    in_second = MatchPreference.objects.filter(round=second, mentee__isnull=False).values_list("mentee", flat=True)
    assert list(in_second) == [latecomer.pk]


def test_my_cabinet_invites_a_participant_to_state_preferences(world, client_on, objects):
    host = world.host(world.school_a)
    page = client_on(host, world.teacher_a).get("/org/banks/me/")
    assert page.status_code == 200
    link = f"/org/matching/rounds/{objects.round_id}/preferences/{objects.own_preference_id}/"
    assert link in page.content.decode()
    connection.set_tenant(world.school_a)
    MatchingRound.objects.filter(pk=objects.round_id).update(status=MatchingRound.Status.SENT)
    connection.set_schema_to_public()
    assert link not in client_on(host, world.teacher_a).get("/org/banks/me/").content.decode()
    # Someone else in the organization is not invited.
    assert "matching-invitations" not in client_on(host, world.psychologist_a).get("/org/banks/me/").content.decode()
