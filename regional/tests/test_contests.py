"""Contests and recognition: the whole path from a draft to the order of encouragement, every refusal
(nothing changes), the results arithmetic with ties, the publication-consent rule and its withdrawal."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from institutional.dates import organization_today
from institutional.documents.orders import order_docx_bytes
from institutional.models import ConsentKind, Order, Pair
from institutional.services import consents as consent_services
from institutional.tests.pair_factories import make_mentor
from institutional.tests.programs_factories import approved_pair
from institutional.tests.test_banks_factories import signed_consent
from nastavnik.documents import document_text
from regional.contests import encouragement, results, selectors, services
from regional.models import Contest, ContestJuror, Nomination, Score
from tenants import services as tenant_services
from tenants.models import Level, Organization, Role, User

pytestmark = pytest.mark.django_db

CRITERIA = [
    {"title": "Результативность наставничества", "max": 10},
    {"title": "Методическая деятельность", "max": 5},
]


# --- helpers (set up through the services) ------------------------------------------------------------


def _user(local: str, last_name: str, role: str | None = None, organization=None) -> User:
    user = User.objects.create_user(
        email=f"{local}@test.test", password="Correct-Horse-42", last_name=last_name, first_name="Ольга"
    )
    if role:
        tenant_services.membership_grant(actor=None, user=user, organization=organization, role=role)
    return user


def _methodologist(world, local="methodologist", last_name="Методистова") -> User:
    return _user(local, last_name, Role.REGIONAL_METHODOLOGIST, world.region)


def _contest(world, *, kind=Contest.Kind.MENTOR_OF_YEAR, jurors=(), announce=True, starts=-1, ends=10, winners=3):
    today = organization_today(world.region)
    contest = services.contest_create(
        actor=world.coordinator,
        region=world.region,
        kind=kind,
        title="Наставник года — 2026",
        description="Региональный конкурс наставников.",
        nominations_from=today + timedelta(days=starts),
        nominations_until=today + timedelta(days=ends),
        criteria=CRITERIA,
        winners=winners,
    )
    for juror in jurors:
        services.juror_add(actor=world.coordinator, contest=contest, email=juror.email)
    if announce:
        contest = services.contest_announce(actor=world.coordinator, contest=contest)
    return contest


def _mentor(last_name: str, fields=("full_name", "position")):
    """A mentor of the current school's bank with a signed publication consent listing `fields`."""
    entry = make_mentor(last_name=last_name)
    if fields:
        signed_consent(kind=ConsentKind.PUBLICATION, staff=entry.staff, published_fields=list(fields))
    return entry


def _nominate(world, contest, entry, *, actor=None, organization=None):
    return services.nomination_submit(
        actor=actor or world.director_a,
        organization=organization or world.school_a,
        contest=contest,
        mentor_entry_id=entry.pk,
        justification="Три молодых учителя под её руководством прошли аттестацию.",
    )


def _score(contest, nomination, juror, *values):
    codes = [criterion["code"] for criterion in contest.criteria]
    return services.scores_submit(actor=juror, nomination=nomination, values=dict(zip(codes, values, strict=True)))


def _refused(call, text: str):
    with pytest.raises(ValidationError) as caught:
        call()
    assert text in " ".join(caught.value.messages), caught.value.messages
    return caught.value


def _snapshot():
    return (
        list(Contest.objects.order_by("pk").values_list("pk", "status", "title", "results_published_at")),
        list(ContestJuror.objects.order_by("pk").values_list("pk", "user_id")),
        list(
            Nomination.objects.order_by("pk").values_list(
                "pk", "status", "nominee_name", "nominee_position", "total_score", "place"
            )
        ),
        list(Score.objects.order_by("pk").values_list("pk", "criterion", "value")),
    )


# --- the arithmetic ----------------------------------------------------------------------------------------


def test_results_follow_the_worked_example_of_the_module():
    scores = [
        (1, 10, "c1", 8), (1, 10, "c2", 4), (1, 20, "c1", 10), (1, 20, "c2", 5),
        (2, 10, "c1", 9), (2, 10, "c2", 4), (2, 20, "c1", 9), (2, 20, "c2", 5),
        (3, 10, "c1", 7), (3, 10, "c2", 3), (3, 20, "c1", 6), (3, 20, "c2", 2),
    ]  # fmt: skip
    outcome = results.compute(nomination_ids=[1, 2, 3], scores=scores, criteria=["c1", "c2"], prize_places=2)
    assert outcome[1] == results.Outcome(total=Decimal("13.50"), rank=1, place=1)
    assert outcome[2] == results.Outcome(total=Decimal("13.50"), rank=1, place=1)
    assert outcome[3] == results.Outcome(total=Decimal("9.00"), rank=3, place=None)


def test_ties_share_a_place_and_the_next_place_is_skipped():
    totals = {1: Decimal("90"), 2: Decimal("85"), 3: Decimal("85"), 4: Decimal("80"), 5: Decimal("70")}
    outcome = results.rank(totals, prize_places=3)
    assert [outcome[key].rank for key in (1, 2, 3, 4, 5)] == [1, 2, 2, 4, 5]
    assert [outcome[key].place for key in (1, 2, 3, 4, 5)] == [1, 2, 2, None, None]
    # A tie on the last prize place makes every tied nomination a winner.
    tied = results.rank({1: Decimal("9"), 2: Decimal("8"), 3: Decimal("8")}, prize_places=2)
    assert [tied[key].place for key in (1, 2, 3)] == [1, 2, 2]


def test_the_mean_is_rounded_half_up_to_hundredths_and_unknown_criteria_are_ignored():
    assert results.mean_total([10, 11, 11]) == Decimal("10.67")
    assert results.mean_total([1, 2]) == Decimal("1.50")
    assert results.mean_total([]) == Decimal("0.00")
    marks = results.juror_marks([(1, 7, "c1", 3), (1, 7, "gone", 9)], ["c1"])
    assert marks == {1: {7: 3}}


# --- the whole path -------------------------------------------------------------------------------------------


def test_the_whole_path_from_draft_to_the_order_of_encouragement(world, in_school_a):
    methodologist, second = _methodologist(world), _methodologist(world, "second-juror", "Второва")
    contest = _contest(world, jurors=(methodologist, second), winners=1)
    assert contest.status == Contest.Status.NOMINATION
    math = _mentor("Петрова")
    russian = _mentor("Соколова", fields=("full_name",))
    physics = _mentor("Орлова")
    first = _nominate(world, contest, math)
    second_nomination = _nominate(world, contest, russian, actor=world.curator_a)
    third = _nominate(world, contest, physics)
    assert first.nominee_name == "Петрова Анна Петровна" and first.nominee_position == "учитель математики"
    assert second_nomination.nominee_position == ""  # the consent does not list the position
    assert first.municipality_id == world.municipality.pk

    contest = services.contest_close_nominations(actor=world.coordinator, contest=contest)
    assert contest.status == Contest.Status.JUDGING
    _score(contest, first, methodologist, 9, 5)  # 14
    _score(contest, first, second, 8, 4)  # 12 → 13.00
    _score(contest, second_nomination, methodologist, 10, 4)  # 14
    _score(contest, second_nomination, second, 7, 5)  # 12 → 13.00
    _score(contest, third, methodologist, 5, 2)
    _score(contest, third, second, 6, 1)  # 7 and 7 → 7.00
    _score(contest, third, second, 6, 3)  # re-scored: 9 → 8.00

    contest = services.contest_publish_results(actor=world.coordinator, contest=contest)
    assert contest.status == Contest.Status.RESULTS and contest.results_published_at is not None
    outcome = {n.pk: (n.total_score, n.place) for n in Nomination.objects.filter(contest=contest)}
    assert outcome[first.pk] == (Decimal("13.00"), 1)
    assert outcome[second_nomination.pk] == (Decimal("13.00"), 1)  # a tie on the only prize place
    assert outcome[third.pk] == (Decimal("8.00"), None)

    order = encouragement.contest_encouragement_order_create(
        actor=world.director_a, organization=world.school_a, contest=contest, number="57-к", day=organization_today()
    )
    assert order.kind == Order.Kind.ENCOURAGEMENT and order.status == Order.Status.DRAFT
    assert order.title == "О поощрении победителей и участников регионального конкурса «Наставник года — 2026»"
    winners = order.content["winners"]
    assert [(w["full_name"], w["place"]) for w in winners] == [
        ("Петрова Анна Петровна", 1),
        ("Соколова Анна Петровна", 1),
    ]
    assert [p["full_name"] for p in order.content["participants"]] == ["Орлова Анна Петровна"]
    text = document_text(order_docx_bytes(order))
    assert "ПРИКАЗ" in text and "№ 57-к" in text
    assert "на основании итогов регионального конкурса «Наставник года — 2026»" in text
    assert "ПРИКАЗЫВАЮ:" in text
    assert "1. Объявить благодарность победителям и призёрам регионального конкурса «Наставник года — 2026»" in text
    assert "1.1. Петрова Анна Петровна, учитель математики, — победитель конкурса (1 место);" in text
    assert "1.2. Соколова Анна Петровна, учитель математики, — победитель конкурса (1 место)." in text
    assert "2. Объявить благодарность участникам регионального конкурса «Наставник года — 2026»" in text
    assert "2.1. Орлова Анна Петровна, учитель математики." in text
    assert "3. Представить педагогических работников, указанных в пункте 1 настоящего приказа, к поощрению" in text
    assert "Контроль за исполнением настоящего приказа оставляю за собой." in text
    assert "С приказом ознакомлены:" in text and "/ Петрова А.П. /" in text


def test_the_encouragement_order_is_refused_before_results_twice_and_without_participants(world, in_school_a):
    juror = _methodologist(world)
    contest = _contest(world, jurors=(juror,))
    nomination = _nominate(world, contest, _mentor("Петрова"))
    _refused(
        lambda: encouragement.contest_encouragement_order_create(
            actor=world.director_a, organization=world.school_a, contest=contest, number="1", day=organization_today()
        ),
        "после публикации итогов",
    )
    services.contest_close_nominations(actor=world.coordinator, contest=contest)
    _score(contest, nomination, juror, 10, 5)
    contest = services.contest_publish_results(actor=world.coordinator, contest=contest)
    encouragement.contest_encouragement_order_create(
        actor=world.director_a, organization=world.school_a, contest=contest, number="1", day=organization_today()
    )
    orders = Order.objects.count()
    _refused(
        lambda: encouragement.contest_encouragement_order_create(
            actor=world.director_a, organization=world.school_a, contest=contest, number="2", day=organization_today()
        ),
        "уже сформирован: № 1",
    )
    assert Order.objects.count() == orders
    connection.set_tenant(world.school_b)
    _refused(
        lambda: encouragement.contest_encouragement_order_create(
            actor=None, organization=world.school_b, contest=contest, number="1", day=organization_today()
        ),
        "поощрять по его итогам некого",
    )
    assert not Order.objects.exists()


def test_a_badge_contest_names_its_holders_in_the_order(world, in_school_a):
    juror = _methodologist(world)
    contest = _contest(world, kind=Contest.Kind.HONORARY_BADGE, jurors=(juror,), winners=1)
    nomination = _nominate(world, contest, _mentor("Петрова"))
    services.contest_close_nominations(actor=world.coordinator, contest=contest)
    _score(contest, nomination, juror, 7, 3)
    contest = services.contest_publish_results(actor=world.coordinator, contest=contest)
    order = encouragement.contest_encouragement_order_create(
        actor=world.director_a, organization=world.school_a, contest=contest, number="9", day=organization_today()
    )
    assert order.title == "О поощрении педагогических работников, удостоенных нагрудного знака «Почётный наставник»"
    text = document_text(order_docx_bytes(order))
    assert "удостоенным нагрудного знака «Почётный наставник»" in text
    assert "1.1. Петрова Анна Петровна, учитель математики." in text


# --- stages move only forward -------------------------------------------------------------------------------


def test_stages_move_only_forward_and_a_wrong_stage_changes_nothing(world, in_school_a):
    juror = _methodologist(world)
    contest = _contest(world, jurors=(juror,), announce=False)
    before = _snapshot()
    _refused(lambda: services.contest_close_nominations(actor=world.coordinator, contest=contest), "на этапе приёма")
    _refused(lambda: services.contest_publish_results(actor=world.coordinator, contest=contest), "после работы жюри")
    _refused(lambda: _nominate(world, contest, _mentor("Петрова")), "Приём выдвижений не ведётся")
    assert _snapshot() == before

    contest = services.contest_announce(actor=world.coordinator, contest=contest)
    before = _snapshot()
    _refused(lambda: services.contest_announce(actor=world.coordinator, contest=contest), "этапе подготовки")
    _refused(
        lambda: services.contest_update(
            actor=world.coordinator,
            contest=contest,
            kind=contest.kind,
            title="Другое название",
            nominations_from=contest.nominations_from,
            nominations_until=contest.nominations_until,
            criteria=CRITERIA,
            winners=3,
        ),
        "только до объявления",
    )
    _refused(lambda: services.contest_publish_results(actor=world.coordinator, contest=contest), "после работы жюри")
    assert _snapshot() == before

    nomination = _nominate(world, contest, _mentor("Соколова"))
    contest = services.contest_close_nominations(actor=world.coordinator, contest=contest)
    before = _snapshot()
    _refused(lambda: services.contest_close_nominations(actor=world.coordinator, contest=contest), "на этапе приёма")
    _refused(lambda: _nominate(world, contest, _mentor("Орлова")), "Приём выдвижений не ведётся")
    _refused(
        lambda: services.nomination_withdraw(
            actor=world.director_a, organization=world.school_a, nomination=nomination
        ),
        "во время приёма выдвижений",
    )
    assert _snapshot()[1:] == before[1:]

    _score(contest, nomination, juror, 1, 1)
    contest = services.contest_publish_results(actor=world.coordinator, contest=contest)
    before = _snapshot()
    _refused(lambda: services.contest_publish_results(actor=world.coordinator, contest=contest), "после работы жюри")
    _refused(lambda: _score(contest, nomination, juror, 2, 2), "на этапе «Работа жюри»")
    _refused(
        lambda: services.juror_add(actor=world.coordinator, contest=contest, email=world.coordinator.email),
        "Итоги подведены",
    )
    assert _snapshot() == before


def test_announcing_needs_a_jury_and_only_the_coordinator_runs_contests(world):
    contest = _contest(world, announce=False)
    _refused(lambda: services.contest_announce(actor=world.coordinator, contest=contest), "назначьте жюри")
    _refused(lambda: services.contest_announce(actor=world.municipal, contest=contest), "региональный координатор")
    methodologist = _methodologist(world)
    _refused(lambda: services.contest_announce(actor=methodologist, contest=contest), "региональный координатор")
    assert Contest.objects.get(pk=contest.pk).status == Contest.Status.DRAFT


def test_contest_fields_are_checked_with_messages_naming_the_problem(world):
    today = organization_today(world.region)

    def create(**changes):
        values = {
            "actor": world.coordinator,
            "region": world.region,
            "kind": Contest.Kind.BEST_PAIR,
            "title": "Лучшая пара",
            "nominations_from": today,
            "nominations_until": today + timedelta(days=5),
            "criteria": CRITERIA,
            "winners": 3,
        }
        values.update(changes)
        return services.contest_create(**values)

    error = _refused(lambda: create(criteria=[{"title": "Результат", "max": 101}]), "от 1 до 100")
    assert "criteria" in error.message_dict
    _refused(lambda: create(criteria=[]), "хотя бы один критерий")
    _refused(lambda: create(criteria=[{"title": "А", "max": 5}, {"title": "а", "max": 3}]), "указан дважды")
    _refused(lambda: create(nominations_until=today - timedelta(days=1)), "раньше начала")
    _refused(
        lambda: create(nominations_from=today - timedelta(days=9), nominations_until=today - timedelta(days=2)),
        "уже прошло",
    )
    _refused(lambda: create(winners=0), "призовых мест")
    _refused(lambda: create(kind="no-such-kind"), "Выберите вид конкурса")
    _refused(lambda: create(region=world.municipality), "Конкурс объявляет регион")
    assert not Contest.objects.exists()
    contest = create(criteria=[{"title": "Результат", "max": "7"}, {"title": "", "max": ""}])
    assert contest.criteria == [{"code": "c1", "title": "Результат", "max": 7}]


# --- the jury -------------------------------------------------------------------------------------------------


def test_scores_outside_the_scale_save_nothing(world, in_school_a):
    juror = _methodologist(world)
    contest = _contest(world, jurors=(juror,))
    nomination = _nominate(world, contest, _mentor("Петрова"))
    contest = services.contest_close_nominations(actor=world.coordinator, contest=contest)
    for values, message in (
        ({"c1": 11, "c2": 3}, "Балл по критерию «Результативность наставничества» должен быть от 0 до 10"),
        ({"c1": 5, "c2": 6}, "Балл по критерию «Методическая деятельность» должен быть от 0 до 5"),
        ({"c1": -1, "c2": 3}, "должен быть от 0 до 10"),
        ({"c1": "семь", "c2": 3}, "должен быть от 0 до 10"),
        ({"c1": "7.5", "c2": 3}, "должен быть от 0 до 10"),
        ({"c1": 7}, "Поставьте балл по критерию «Методическая деятельность»"),
    ):
        _refused(
            lambda values=values: services.scores_submit(actor=juror, nomination=nomination, values=values), message
        )
        assert not Score.objects.exists()
    services.scores_submit(actor=juror, nomination=nomination, values={"c1": "10", "c2": 0})
    assert sorted(Score.objects.values_list("criterion", "value")) == [("c1", 10), ("c2", 0)]
    # A refused re-scoring leaves the earlier scores as they were.
    _refused(lambda: services.scores_submit(actor=juror, nomination=nomination, values={"c1": 3, "c2": 9}), "от 0 до 5")
    assert sorted(Score.objects.values_list("criterion", "value")) == [("c1", 10), ("c2", 0)]


def test_only_jurors_score_and_only_while_judging(world, in_school_a):
    juror = _methodologist(world)
    contest = _contest(world, jurors=(juror,))
    nomination = _nominate(world, contest, _mentor("Петрова"))
    _refused(lambda: _score(contest, nomination, juror, 5, 5), "на этапе «Работа жюри»")
    contest = services.contest_close_nominations(actor=world.coordinator, contest=contest)
    for outsider in (world.coordinator, world.director_a, _methodologist(world, "not-juror", "Нежюрина")):
        _refused(lambda outsider=outsider: _score(contest, nomination, outsider, 5, 5), "только члены жюри")
    assert not Score.objects.exists()


def test_a_juror_sees_only_their_own_scores_until_the_results(world, in_school_a, client_on):
    juror, other = _methodologist(world), _methodologist(world, "other-juror", "Другова")
    contest = _contest(world, jurors=(juror, other))
    nomination = _nominate(world, contest, _mentor("Петрова"))
    contest = services.contest_close_nominations(actor=world.coordinator, contest=contest)
    _score(contest, nomination, juror, 9, 4)
    _score(contest, nomination, other, 2, 1)
    rows = selectors.jury_rows(contest, juror)
    assert [row.scores for row in rows] == [{"c1": 9, "c2": 4}]
    assert [row.scores for row in selectors.jury_rows(contest, other)] == [{"c1": 2, "c2": 1}]
    connection.set_schema_to_public()
    page = client_on(world.host(world.region), juror).get(f"/contests/{contest.pk}/jury/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'value="9"' in body and 'value="2"' not in body
    # The coordinator sees how far the jury got, not the scores.
    detail = client_on(world.host(world.region), world.coordinator).get(f"/contests/{contest.pk}/").content.decode()
    assert "1 из 1" in detail and "оценено: 13" not in detail


def test_results_wait_for_every_score(world, in_school_a):
    juror, other = _methodologist(world), _methodologist(world, "other-juror", "Другова")
    contest = _contest(world, jurors=(juror, other))
    nomination = _nominate(world, contest, _mentor("Петрова"))
    contest = services.contest_close_nominations(actor=world.coordinator, contest=contest)
    _score(contest, nomination, juror, 9, 4)
    before = _snapshot()
    _refused(
        lambda: services.contest_publish_results(actor=world.coordinator, contest=contest),
        "Другова О. — не оценено выдвижений: 1",
    )
    assert _snapshot() == before
    # Taking the silent juror off the jury removes them (and any scores of theirs) and unblocks the results.
    services.juror_remove(actor=world.coordinator, contest=contest, user_id=other.pk)
    contest = services.contest_publish_results(actor=world.coordinator, contest=contest)
    assert Nomination.objects.get(pk=nomination.pk).total_score == Decimal("13.00")
    _refused(
        lambda: services.juror_remove(actor=world.coordinator, contest=contest, user_id=juror.pk), "Итоги подведены"
    )


def test_jurors_work_in_the_region_and_the_last_one_stays(world, in_school_a):
    juror = _methodologist(world)
    contest = _contest(world, jurors=(juror,))
    nomination = _nominate(world, contest, _mentor("Петрова"))
    _refused(
        lambda: services.juror_add(actor=world.coordinator, contest=contest, email=world.outsider.email),
        "не работает ни в одной организации региона",
    )
    _refused(
        lambda: services.juror_add(actor=world.coordinator, contest=contest, email="nobody@test.test"), "не найден"
    )
    _refused(lambda: services.juror_add(actor=world.coordinator, contest=contest, email=juror.email), "уже в жюри")
    _refused(lambda: services.juror_remove(actor=world.coordinator, contest=contest, user_id=juror.pk), "хотя бы один")
    # A municipal coordinator works in the region and may sit on the jury.
    services.juror_add(actor=world.coordinator, contest=contest, email=world.municipal.email.upper())
    contest = services.contest_close_nominations(actor=world.coordinator, contest=contest)
    _score(contest, nomination, world.municipal, 4, 4)
    services.juror_remove(actor=world.coordinator, contest=contest, user_id=world.municipal.pk)
    assert not Score.objects.filter(juror=world.municipal).exists()
    assert list(ContestJuror.objects.values_list("user_id", flat=True)) == [juror.pk]


# --- nominations ------------------------------------------------------------------------------------------


def test_the_name_goes_public_only_with_the_mentors_consent(world, in_school_a):
    contest = _contest(world, jurors=(_methodologist(world),))
    without = _mentor("Безсогласова", fields=())
    subjects_only = _mentor("Предметова", fields=("subjects",))
    withdrawn = _mentor("Отозванова")
    consent = withdrawn.staff.consents.get(kind=ConsentKind.PUBLICATION)
    consent_services.consent_withdraw(actor=None, consent=consent, withdrawn_on=organization_today())
    for entry in (without, subjects_only, withdrawn):
        _refused(
            lambda entry=entry: _nominate(world, contest, entry),
            "Для выдвижения нужно согласие наставника на публикацию ФИО",
        )
    assert not Nomination.objects.exists()
    named = _nominate(world, contest, _mentor("Именова", fields=("full_name", "subjects")))
    assert (named.nominee_name, named.nominee_position) == ("Именова Анна Петровна", "")


def test_a_best_pair_publishes_the_mentor_and_only_the_category_of_the_mentee(world, in_school_a):
    contest = _contest(world, kind=Contest.Kind.BEST_PAIR, jurors=(_methodologist(world),))
    pair = approved_pair(status=Pair.Status.ACTIVE)
    signed_consent(kind=ConsentKind.PUBLICATION, staff=pair.mentor.staff, published_fields=["full_name", "position"])
    mentee_name = pair.participants.get().mentee.full_name
    nomination = services.nomination_submit(
        actor=world.curator_a, organization=world.school_a, contest=contest, pair_id=pair.pk, justification="Пара года."
    )
    assert nomination.pair_id == pair.pk and nomination.staff_id == pair.mentor.staff_id
    assert nomination.nominee_name == "Опытнова Анна Петровна (наставник) и наставляемый (категория: молодой педагог)"
    assert (
        mentee_name.split()[0] not in nomination.nominee_name + nomination.nominee_position + nomination.justification
    )
    draft = approved_pair(status=Pair.Status.DRAFT)
    signed_consent(kind=ConsentKind.PUBLICATION, staff=draft.mentor.staff, published_fields=["full_name"])
    _refused(
        lambda: services.nomination_submit(
            actor=world.curator_a, organization=world.school_a, contest=contest, pair_id=draft.pk, justification="х"
        ),
        "действующую или завершённую пару",
    )
    assert Nomination.objects.count() == 1
    # Inside the organization its order names the pair in full.
    services.contest_close_nominations(actor=world.coordinator, contest=contest)
    juror = ContestJuror.objects.get(contest=contest).user
    _score(contest, nomination, juror, 9, 4)
    contest = services.contest_publish_results(actor=world.coordinator, contest=contest)
    order = encouragement.contest_encouragement_order_create(
        actor=world.director_a, organization=world.school_a, contest=contest, number="5-к", day=organization_today()
    )
    text = document_text(order_docx_bytes(order))
    assert (
        f"1.1. Наставническая пара: Опытнова Анна Петровна, учитель математики (наставник); {mentee_name}, "
        "учитель математики (наставляемый) — победители конкурса (1 место)."
    ) in text


def test_duplicates_are_refused_and_the_database_agrees(world, in_school_a):
    contest = _contest(world, jurors=(_methodologist(world),))
    entry = _mentor("Петрова")
    nomination = _nominate(world, contest, entry)
    before = _snapshot()
    _refused(lambda: _nominate(world, contest, entry, actor=world.curator_a), "уже выдвинут на конкурс")
    assert _snapshot() == before
    with pytest.raises(IntegrityError), transaction.atomic():
        Nomination.objects.create(
            contest=contest,
            organization=world.school_a,
            staff_id=entry.staff_id,
            nominee_name="Петрова",
            justification="снова",
        )
    # Withdrawn, the same person may be nominated again.
    services.nomination_withdraw(actor=world.director_a, organization=world.school_a, nomination=nomination)
    again = _nominate(world, contest, entry)
    assert again.status == Nomination.Status.SUBMITTED


def test_nominations_are_accepted_only_inside_the_window(world, in_school_a):
    contest = _contest(world, jurors=(_methodologist(world),), starts=2, ends=9)
    entry = _mentor("Петрова")
    start = (organization_today(world.region) + timedelta(days=2)).strftime("%d.%m.%Y")
    _refused(lambda: _nominate(world, contest, entry), f"Приём выдвижений начнётся {start}")
    # The window has passed (the calendar moved on): refused as well.
    past_until = organization_today(world.region) - timedelta(days=1)
    Contest.objects.filter(pk=contest.pk).update(
        nominations_from=past_until - timedelta(days=10), nominations_until=past_until
    )
    contest.refresh_from_db()
    _refused(lambda: _nominate(world, contest, entry), f"Приём выдвижений завершился {past_until:%d.%m.%Y}")
    assert not Nomination.objects.exists()


def test_only_own_mentors_of_the_region_are_nominated_by_the_director_or_curator(world, in_school_a):
    contest = _contest(world, jurors=(_methodologist(world),))
    outside = _mentor("Сетевая")
    outside.home_organization_id, outside.home_entry_id = world.school_b.pk, 77
    outside.save()
    _refused(lambda: _nominate(world, contest, outside), "из банка наставников своей организации")
    excluded = _mentor("Исключённая")
    excluded.is_active = False
    excluded.save()
    _refused(lambda: _nominate(world, contest, excluded), "из банка наставников своей организации")
    entry = _mentor("Петрова")
    _refused(lambda: _nominate(world, contest, entry, actor=world.teacher_a), "руководитель или куратор")
    _refused(lambda: _nominate(world, contest, entry, organization=world.municipality), "образовательные организации")
    connection.set_schema_to_public()  # organizations are created in the public schema only
    other_region = Organization.objects.create(
        code="t-other-region",
        schema_name="t_other_region",
        level=Level.REGION,
        full_name="Другой регион",
        short_name="Другой регион",
        time_zone="Europe/Moscow",
    )
    connection.set_tenant(world.school_a)
    coordinator = _user("other-coordinator", "Чужая", Role.REGIONAL_COORDINATOR, other_region)
    today = organization_today(other_region)
    foreign = services.contest_create(
        actor=coordinator,
        region=other_region,
        kind=Contest.Kind.MENTOR_OF_YEAR,
        title="Чужой конкурс",
        nominations_from=today,
        nominations_until=today + timedelta(days=3),
        criteria=CRITERIA,
        winners=1,
    )
    services.juror_add(actor=coordinator, contest=foreign, email=coordinator.email)
    foreign = services.contest_announce(actor=coordinator, contest=foreign)
    _refused(lambda: _nominate(world, foreign, entry), "проводится в другом регионе")
    assert not Nomination.objects.exists()


def test_a_withdrawn_publication_consent_hides_the_person_in_every_nomination(world, in_school_a):
    juror = _methodologist(world)
    first, second = _contest(world, jurors=(juror,)), _contest(world, jurors=(juror,))
    entry, other = _mentor("Петрова"), _mentor("Соколова")
    hidden = [_nominate(world, first, entry), _nominate(world, second, entry)]
    kept = _nominate(world, first, other)
    changed = services.nominations_unpublish(organization_id=world.school_a.pk, staff_id=entry.staff_id)
    assert changed == 2
    for nomination in hidden:
        nomination.refresh_from_db()
        assert (nomination.nominee_name, nomination.nominee_position) == ("сведения скрыты по отзыву согласия", "")
    kept.refresh_from_db()
    assert kept.nominee_name == "Соколова Анна Петровна" and kept.nominee_position == "учитель математики"
    # Idempotent, and scoped to the organization: the same staff id elsewhere is someone else.
    assert services.nominations_unpublish(organization_id=world.school_a.pk, staff_id=entry.staff_id) == 0
    assert services.nominations_unpublish(organization_id=world.school_b.pk, staff_id=other.staff_id) == 0
    kept.refresh_from_db()
    assert kept.nominee_name == "Соколова Анна Петровна"


# --- pages and API ------------------------------------------------------------------------------------------


def test_pages_show_each_level_what_it_may_see(world, in_school_a, client_on):
    juror = _methodologist(world)
    draft = _contest(world, jurors=(juror,), announce=False)
    Contest.objects.filter(pk=draft.pk).update(title="Черновик конкурса")
    contest = _contest(world, jurors=(juror,))
    _nominate(world, contest, _mentor("Петрова"))
    connection.set_schema_to_public()
    region, school, school_b = world.host(world.region), world.host(world.school_a), world.host(world.school_b)

    region_list = client_on(region, world.coordinator).get("/contests/").content.decode()
    assert "Черновик конкурса" in region_list and "Создать конкурс" in region_list
    school_list = client_on(school, world.teacher_a).get("/contests/").content.decode()
    assert "Наставник года — 2026" in school_list and "Черновик конкурса" not in school_list
    assert client_on(school, world.teacher_a).get(f"/contests/{draft.pk}/").status_code == 404

    assert "Петрова Анна Петровна" in client_on(region, juror).get(f"/contests/{contest.pk}/").content.decode()
    assert (
        "Петрова Анна Петровна" in client_on(school, world.director_a).get(f"/contests/{contest.pk}/").content.decode()
    )
    municipal = client_on(world.host(world.municipality), world.municipal).get(f"/contests/{contest.pk}/")
    assert "Петрова Анна Петровна" in municipal.content.decode()
    assert "Петрова" not in client_on(school, world.teacher_a).get(f"/contests/{contest.pk}/").content.decode()
    assert "Петрова" not in client_on(school_b, world.teacher_b).get(f"/contests/{contest.pk}/").content.decode()

    assert client_on(school, world.director_a).get("/contests/new/").status_code == 404
    assert client_on(region, juror).get("/contests/new/").status_code == 403
    assert client_on(school, world.teacher_a).get(f"/contests/{contest.pk}/nominate/").status_code == 403
    assert client_on(school, world.director_a).get(f"/contests/{contest.pk}/nominate/").status_code == 200
    assert client_on(region, world.coordinator).get(f"/contests/{contest.pk}/jury/").status_code == 403


def test_the_coordinator_creates_and_runs_a_contest_on_the_pages(world, client_on):
    juror = _methodologist(world)
    client = client_on(world.host(world.region), world.coordinator)
    today = organization_today(world.region)
    response = client.post(
        "/contests/new/",
        {
            "kind": "mentor_of_year",
            "title": "Наставник года — 2027",
            "nominations_from": today.isoformat(),
            "nominations_until": (today + timedelta(days=10)).isoformat(),
            "winners": "2",
            "criterion_title_1": "Результативность",
            "criterion_max_1": "150",
        },
    )
    assert response.status_code == 400
    assert "Максимальный балл критерия «Результативность» — целое число от 1 до 100." in response.content.decode()
    assert not Contest.objects.exists()
    response = client.post(
        "/contests/new/",
        {
            "kind": "mentor_of_year",
            "title": "Наставник года — 2027",
            "nominations_from": today.isoformat(),
            "nominations_until": (today + timedelta(days=10)).isoformat(),
            "winners": "2",
            "criterion_title_1": "Результативность",
            "criterion_max_1": "10",
        },
    )
    contest = Contest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/contests/{contest.pk}/"
    assert client.post(f"/contests/{contest.pk}/jurors/", {"email": juror.email}).status_code == 302
    assert client.post(f"/contests/{contest.pk}/stage/announce/").status_code == 302
    assert Contest.objects.get().status == Contest.Status.NOMINATION
    page = client.get(f"/contests/{contest.pk}/edit/", follow=True).content.decode()
    assert "Изменять условия можно только до объявления конкурса." in page
    response = client.post(f"/contests/{contest.pk}/stage/publish/", follow=True)
    assert "Подвести итоги можно только после работы жюри" in response.content.decode()
    assert Contest.objects.get().status == Contest.Status.NOMINATION


def test_nominating_scoring_and_the_order_on_the_pages(world, in_school_a, client_on):
    juror = _methodologist(world)
    contest = _contest(world, jurors=(juror,))
    entry, without = _mentor("Петрова"), _mentor("Безсогласова", fields=())
    connection.set_schema_to_public()
    school = client_on(world.host(world.school_a), world.director_a)
    form = school.get(f"/contests/{contest.pk}/nominate/").content.decode()
    assert "Безсогласова Анна Петровна, учитель математики — нет согласия на публикацию ФИО" in form
    response = school.post(f"/contests/{contest.pk}/nominate/", {"mentor": without.pk, "justification": "Опыт."})
    assert response.status_code == 400
    assert "Для выдвижения нужно согласие наставника на публикацию ФИО" in response.content.decode()
    response = school.post(f"/contests/{contest.pk}/nominate/", {"mentor": entry.pk, "justification": "Опыт."})
    assert response.status_code == 302
    nomination = Nomination.objects.get()

    services.contest_close_nominations(actor=world.coordinator, contest=contest)
    jury = client_on(world.host(world.region), juror)
    prefix = f"n{nomination.pk}"
    response = jury.post(f"/contests/{contest.pk}/jury/{nomination.pk}/", {f"{prefix}-c1": "12", f"{prefix}-c2": "3"})
    assert response.status_code == 400
    assert "Балл по критерию «Результативность наставничества» должен быть от 0 до 10" in response.content.decode()
    assert not Score.objects.exists()
    response = jury.post(f"/contests/{contest.pk}/jury/{nomination.pk}/", {f"{prefix}-c1": "8", f"{prefix}-c2": "3"})
    assert response.status_code == 302 and Score.objects.count() == 2
    services.contest_publish_results(actor=world.coordinator, contest=contest)

    detail = school.get(f"/contests/{contest.pk}/").content.decode()
    assert "Сформировать приказ о поощрении" in detail and "11,00" in detail
    teacher_b = client_on(world.host(world.school_b), world.teacher_b).get(f"/contests/{contest.pk}/").content.decode()
    assert "Петрова Анна Петровна" in teacher_b and "Итоги конкурса" in teacher_b
    assert (
        client_on(world.host(world.school_a), world.teacher_a).get(f"/contests/{contest.pk}/encouragement/").status_code
        == 403
    )
    response = school.post(
        f"/contests/{contest.pk}/encouragement/",
        {"order_number": "77-к", "order_date": organization_today(world.school_a).isoformat()},
    )
    connection.set_tenant(world.school_a)
    order = Order.objects.get(number="77-к")
    assert response.status_code == 302 and response["Location"] == f"/org/orders/{order.pk}/"
    connection.set_schema_to_public()
    page = school.get(f"/org/orders/{order.pk}/").content.decode()
    assert "Поощрение по итогам конкурса «Наставник года — 2026»" in page
    assert "Приказ о поощрении сформирован" in school.get(f"/contests/{contest.pk}/").content.decode()
    xlsx = client_on(world.host(world.school_b), world.teacher_b).get(f"/contests/{contest.pk}/results.xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_api_runs_the_same_path(world, in_school_a, client_on):
    juror = _methodologist(world)
    entry = _mentor("Петрова")
    connection.set_schema_to_public()
    region = client_on(world.host(world.region), world.coordinator)
    today = organization_today(world.region)
    payload = {
        "kind": "mentor_of_year",
        "title": "Наставник года — API",
        "nominations_from": today.isoformat(),
        "nominations_until": (today + timedelta(days=5)).isoformat(),
        "criteria": [{"title": "Результат", "max": 10}],
        "winners": 1,
    }
    assert (
        client_on(world.host(world.school_a), world.director_a)
        .post("/api/v1/contests/", payload, content_type="application/json")
        .status_code
        == 403
    )
    response = region.post("/api/v1/contests/", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    contest_id = response.json()["id"]
    assert (
        region.post(
            f"/api/v1/contests/{contest_id}/jurors/", {"email": juror.email}, content_type="application/json"
        ).status_code
        == 201
    )
    assert region.post(f"/api/v1/contests/{contest_id}/stage/announce/").json()["status"] == "nomination"

    school = client_on(world.host(world.school_a), world.director_a)
    response = school.post(
        f"/api/v1/contests/{contest_id}/nominations/",
        {"mentor_entry_id": entry.pk, "justification": "Опыт."},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    nomination_id = response.json()["id"]
    assert response.json()["nominee_name"] == "Петрова Анна Петровна"
    assert region.post(f"/api/v1/contests/{contest_id}/stage/close/").json()["status"] == "judging"

    jury = client_on(world.host(world.region), juror)
    url = f"/api/v1/contests/{contest_id}/nominations/{nomination_id}/scores/"
    response = jury.post(url, {"scores": {"c1": 11}}, content_type="application/json")
    assert response.status_code == 400 and "от 0 до 10" in str(response.json())
    assert (
        client_on(world.host(world.region), world.coordinator)
        .post(url, {"scores": {"c1": 5}}, content_type="application/json")
        .status_code
        == 403
    )
    response = jury.post(url, {"scores": {"c1": 7}}, content_type="application/json")
    assert response.json() == {"nomination_id": nomination_id, "scores": {"c1": 7}, "is_complete": True}
    assert jury.get(f"/api/v1/contests/{contest_id}/results/").status_code == 404
    assert region.post(f"/api/v1/contests/{contest_id}/stage/publish/").json()["status"] == "results"

    results_json = (
        client_on(world.host(world.school_b), world.teacher_b).get(f"/api/v1/contests/{contest_id}/results/").json()
    )
    assert results_json == [
        {
            "place": 1,
            "nominee_name": "Петрова Анна Петровна",
            "nominee_position": "учитель математики",
            "organization": world.school_a.short_name,
            "total": "7.00",
        }
    ]
    response = school.post(
        f"/api/v1/contests/{contest_id}/encouragement-order/",
        {"order_number": "5-к", "order_date": organization_today(world.school_a).isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "draft"


def test_the_demo_contest_is_announced_once_with_the_methodologist_on_the_jury(world):
    from fixtures import contests_demo
    from fixtures.demo import REGION_CODE, demo_email

    assert contests_demo.seed() == []  # no demo region: nothing to do
    region = Organization.objects.create(
        code=REGION_CODE,
        schema_name=REGION_CODE,
        level=Level.REGION,
        full_name="Демонстрационный регион",
        short_name="Демо",
        time_zone="Europe/Volgograd",
    )
    coordinator = _user("coordinator-demo", "Коваленко", Role.REGIONAL_COORDINATOR, region)
    methodologist = _user("methodologist-demo", "Зуева", Role.REGIONAL_METHODOLOGIST, region)
    User.objects.filter(pk=coordinator.pk).update(email=demo_email("coordinator"))
    User.objects.filter(pk=methodologist.pk).update(email=demo_email("methodologist"))
    lines = contests_demo.seed()
    assert len(lines) == 1 and "Наставник года — 2026" in lines[0]
    contest = Contest.objects.get(region=region)
    today = organization_today(region)
    assert contest.status == Contest.Status.NOMINATION
    assert contest.nominations_from <= today <= contest.nominations_until
    assert list(contest.jurors.values_list("user_id", flat=True)) == [methodologist.pk]
    assert len(contest.criteria) == len(contests_demo.CRITERIA)
    assert contests_demo.seed() == [] and Contest.objects.filter(region=region).count() == 1
