"""The curator's annual analytical report: figures on hand-built data, saving the analysis, the DOCX
with charts, the page and the API (permissions, bad input), and a constant number of queries."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from docx import Document

from institutional.dates import academic_year_of, organization_today
from institutional.documents.annual_report import annual_report_document
from institutional.models import (
    AnnualReport,
    Answer,
    FinalReport,
    MatchingRound,
    MatchPreference,
    Meeting,
    MenteeCategory,
    MenteeEntry,
    MentorEntry,
    Order,
    Pair,
    PairForm,
    PairKind,
    PairMentee,
    Program,
    Questionnaire,
    QuestionnaireRun,
    Response,
    Roadmap,
    RoadmapActivity,
    RoadmapStage,
)
from institutional.selectors.annual_report import annual_report_data
from institutional.services import annual_report as services
from institutional.services import banks as bank_services
from institutional.services.pairs import pair_create
from institutional.tests.test_banks_factories import make_staff
from nastavnik.documents import document_bytes, document_text
from tests.permissions import check_matrix

OVERSEERS = ("curator", "council_member", "director")
MANAGERS = ("curator", "council_member")


def report_year() -> int:
    """The last finished academic year: every date in it is in the past, whatever today is."""
    return academic_year_of(organization_today()) - 1


def aware(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12))


def staff(last_name: str, *, experience: str, hired: date | None = None, **extra):
    today = organization_today()
    hired = hired or date(report_year() - 5, 8, 1)
    return make_staff(
        last_name,
        hired_days_ago=(today - hired).days,
        pedagogical_experience_years=Decimal(experience),
        total_experience_years=Decimal(experience) + 1,
        **extra,
    )


def mentor(last_name: str):
    return bank_services.mentor_entry_create(
        actor=None, staff=staff(last_name, experience="15"), competencies="Методика", capacity=3
    )


def mentee(last_name: str, *, experience: str, category=MenteeCategory.YOUNG):
    return bank_services.mentee_entry_create(
        actor=None, staff=staff(last_name, experience=experience), categories=[category]
    )


def pair_of(mentor_entry, mentees, *, starts_on, ends_on, form=PairForm.TEACHER_TEACHER, kinds=(PairKind.TRADITIONAL,)):
    pair = pair_create(
        actor=None,
        mentor=mentor_entry,
        mentees=list(mentees),
        form=form,
        kinds=list(kinds),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    order = Order.objects.create(
        number=f"{pair.pk}-н", date=starts_on, kind=Order.Kind.PAIRS_APPROVAL, title="Об утверждении", status="signed"
    )
    Pair.objects.filter(pk=pair.pk).update(status=Pair.Status.ACTIVE, order=order, approved_at=aware(starts_on))
    MenteeEntry.objects.filter(pk__in=[m.pk for m in mentees]).update(status=MenteeEntry.Status.IN_PAIR)
    return Pair.objects.get(pk=pair.pk)


def end(pair, *, on: date, status=Pair.Status.COMPLETED, reason="plan_completed"):
    Pair.objects.filter(pk=pair.pk).update(status=status, ended_on=on, end_reason=reason, end_note="пояснение")
    PairMentee.objects.filter(pair=pair).update(left_on=on)
    return Pair.objects.get(pk=pair.pk)


def program(pair, *, confirmed_on=None, status=Program.Status.CONFIRMED):
    return Program.objects.create(
        pair=pair,
        title="Адаптация",
        request="Запрос",
        goal="Цель",
        tasks="Задачи",
        planned_results="Результаты",
        starts_on=pair.starts_on,
        ends_on=pair.ends_on,
        draft_due_on=pair.starts_on + timedelta(days=10),
        status=status,
        confirmed_at=aware(confirmed_on) if confirmed_on else None,
    )


def meeting(pair, held_on, minutes):
    return Meeting.objects.create(
        pair=pair, mentor=pair.mentor, held_on=held_on, duration_minutes=minutes, mode="in_person", topic="Встреча"
    )


def mentee_report(pair, entry, score):
    return FinalReport.objects.create(
        pair=pair, author_role="mentee", author=entry.staff, mentee=entry, results="Итоги", mentor_score=score
    )


@dataclass
class Scene:
    year: int
    span: Pair
    group: Pair
    early: Pair
    unpaired: MenteeEntry


def build_scene() -> Scene:
    """Year R (the last finished one):
    - a pair started in March of year R-1 and still running into year R (counts in both);
    - a group of three started in October, completed in May, with a confirmed program, three
      meetings (60 + 90 + 45 min), the mentor's report and two of three mentees' reports (5 and 4),
      and satisfaction answers;
    - a pair (form «director – teacher», virtual) started in September and ended early in January at the
      mentee's initiative, with an unconfirmed program;
    - a young mentee left without a pair, supported by the psychologist;
    - a roadmap of two stages: 2 of 2 done; 1 done, 1 overdue, 1 cancelled.
    """
    year = report_year()
    first, second, third = mentor("Первова"), mentor("Вторая"), mentor("Третьякова")
    young1 = mentee("Юнова", experience="1")
    young2 = mentee("Младова", experience="2")
    young3 = mentee("Новикова", experience="0.5")
    settled = mentee("Опытова", experience="4", category=MenteeCategory.NEW_WORKPLACE)
    digital = mentee("Цифрова", experience="5", category=MenteeCategory.DIGITAL)
    unpaired = mentee("Ждунова", experience="1")
    # Not counted: dismissed before the year, hired after it.
    staff("Ушедшая", experience="1", hired=date(year - 4, 9, 1), dismissed=True)
    from institutional.models import Staff

    Staff.objects.filter(last_name="Ушедшая").update(dismissal_date=date(year, 6, 1))
    staff("Будущева", experience="1", hired=date(year + 1, 9, 2))

    span = pair_of(first, [young1], starts_on=date(year, 3, 1), ends_on=date(year + 1, 2, 1))
    group = pair_of(second, [young2, young3, settled], starts_on=date(year, 10, 1), ends_on=date(year + 1, 6, 30))
    early = pair_of(
        third,
        [digital],
        starts_on=date(year, 9, 15),
        ends_on=date(year + 1, 5, 15),
        form=PairForm.DIRECTOR_TEACHER,
        kinds=(PairKind.VIRTUAL, PairKind.SHORT_TERM),
    )
    group = end(group, on=date(year + 1, 5, 31))
    early = end(early, on=date(year + 1, 1, 20), status=Pair.Status.ENDED_EARLY, reason="mentee_initiative")

    program(group, confirmed_on=date(year, 10, 10))
    program(early, status=Program.Status.DRAFT)
    meeting(group, date(year, 11, 5), 60)
    meeting(group, date(year, 12, 5), 90)
    meeting(group, date(year + 1, 2, 5), 45)
    meeting(group, date(year + 1, 9, 5), 30)  # the next year: not counted
    FinalReport.objects.create(
        pair=group, author_role="mentor", author=second.staff, results="Итоги", recommendations="Продолжить"
    )
    mentee_report(group, young2, 5)
    mentee_report(group, young3, 4)

    questionnaire = Questionnaire.objects.get(template_code="final_satisfaction")
    scale = questionnaire.questions.filter(type="scale").order_by("position").first()
    run = QuestionnaireRun.objects.create(
        questionnaire=questionnaire,
        title="Итоговая удовлетворённость",
        audience="pair",
        pair=group,
        opens_on=group.ended_on,
        closes_on=group.ended_on + timedelta(days=10),
    )
    for respondent, role, value in (
        (second.staff, "mentor", 5),
        (young2.staff, "mentee", 4),
        (young3.staff, "mentee", 3),
    ):
        response = Response.objects.create(run=run, respondent=respondent, role=role)
        Answer.objects.create(response=response, question=scale, value=value)

    matching_round = MatchingRound.objects.create(title="Тур после общей встречи")
    MatchPreference.objects.create(
        round=matching_round, mentee=unpaired, support_note="Консультации педагога-психолога раз в две недели"
    )

    roadmap = Roadmap.objects.create(academic_year=year)
    preparing = RoadmapStage.objects.create(roadmap=roadmap, position=1, title="Подготовка условий")
    banks = RoadmapStage.objects.create(roadmap=roadmap, position=2, title="Формирование банков")
    done = RoadmapActivity.Status.DONE
    for position in (1, 2):
        RoadmapActivity.objects.create(
            stage=preparing, position=position, title=f"Приказ {position}", status=done, done_at=date(year, 9, 10)
        )
    RoadmapActivity.objects.create(stage=banks, position=1, title="Банк", status=done, done_at=date(year, 10, 1))
    RoadmapActivity.objects.create(stage=banks, position=2, title="Анкеты", deadline=date(year, 10, 15))
    RoadmapActivity.objects.create(stage=banks, position=3, title="Отменено", status="cancelled")

    # Everyone was entered into the banks before the year.
    MentorEntry.objects.update(created_at=aware(date(year - 1, 8, 1)))
    MenteeEntry.objects.update(created_at=aware(date(year - 1, 8, 1)))
    return Scene(year=year, span=span, group=group, early=early, unpaired=unpaired)


def counts(items) -> dict:
    return {item.code: item.count for item in items if item.count}


def test_figures_of_the_year_on_hand_built_data(in_school_a):
    scene = build_scene()
    data = annual_report_data(academic_year=scene.year)

    assert (data.starts_on, data.ends_on) == (date(scene.year, 9, 1), date(scene.year + 1, 8, 31))
    # participants
    assert data.staff_total == 9  # 3 mentors + 6 mentees; the dismissed and the future hire are not counted
    assert data.young_specialists == 4
    assert data.young_specialists_with_mentor == 3
    assert data.young_specialists_share == Decimal("75.0")
    assert data.staff_in_mentoring == 8
    assert data.mentors_in_bank == 3 and data.mentors_with_pairs == 3
    assert data.mentees_in_bank == 6 and data.mentees_in_pairs == 5
    assert counts(data.mentees_by_category) == {"young": 4, "new_workplace": 1, "digital": 1}
    # pairs and groups
    assert data.pairs_total == 3 and data.groups == 1 and data.pairs_individual == 2
    assert data.pairs_started == 2  # the spanning pair started the year before
    assert data.pairs_completed == 1 and data.pairs_ended_early == 1 and data.pairs_active_at_end == 1
    assert counts(data.ended_early_by_reason) == {"mentee_initiative": 1}
    assert counts(data.pairs_by_form) == {"teacher_teacher": 2, "director_teacher": 1}
    assert counts(data.pairs_by_kind) == {"traditional": 2, "virtual": 1, "short_term": 1}
    # programs and meetings
    assert data.programs_total == 2 and data.programs_confirmed == 1 and data.programs_completed == 1
    assert counts(data.programs_by_outcome) == {"completed": 1, "ended_early": 1}
    assert data.meetings_total == 3
    assert data.hours_total == Decimal("3.3")  # 195 min = 3.25 h
    assert data.mean_mentees_per_mentor == Decimal("1.67")
    assert data.mean_hours_per_mentor == Decimal("1.1")
    # results
    assert (data.reports_expected, data.reports_submitted) == (6, 3)
    assert data.reports_share == Decimal("50.0")
    assert data.mentor_evaluation_mean == Decimal("4.50") and data.mentor_evaluation_count == 2
    assert data.satisfaction.mentor_mean == Decimal("5.00") and data.satisfaction.mentor_count == 1
    assert data.satisfaction.mentee_mean == Decimal("3.50") and data.satisfaction.mentee_count == 2
    # roadmap
    assert [(s.title, s.total, s.done, s.overdue) for s in data.roadmap_stages] == [
        ("Подготовка условий", 2, 2, 0),
        ("Формирование банков", 2, 1, 1),
    ]
    # mentees without a pair and their support
    assert [(m.name, m.support) for m in data.unpaired_mentees] == [
        (scene.unpaired.full_name, "Консультации педагога-психолога раз в две недели")
    ]


def test_a_pair_spanning_two_years_counts_in_both(in_school_a):
    scene = build_scene()
    before = annual_report_data(academic_year=scene.year - 1)
    assert before.pairs_total == 1 and before.pairs_started == 1 and before.pairs_active_at_end == 1
    assert before.pairs_completed == before.pairs_ended_early == 0
    assert before.meetings_total == 0 and before.reports_expected == 0
    assert before.roadmap_exists is False
    after = annual_report_data(academic_year=scene.year)
    assert scene.span.pk and after.pairs_total == 3


def test_an_empty_year_has_zeros_and_no_means(in_school_a):
    data = annual_report_data(academic_year=report_year() - 3)
    assert data.pairs_total == data.meetings_total == data.reports_expected == 0
    assert data.mentor_evaluation_mean is None and data.satisfaction.mentee_mean is None
    assert data.mean_mentees_per_mentor is None and data.reports_share is None
    text = document_text(
        document_bytes(annual_report_document(data, organization=connection.tenant, today=organization_today()))
    )
    assert "Наставнические пары и группы в отчётном учебном году не действовали." in text


def test_the_figures_take_a_constant_number_of_queries(in_school_a):
    year = report_year()
    with CaptureQueriesContext(connection) as empty:
        annual_report_data(academic_year=year)
    build_scene()
    with CaptureQueriesContext(connection) as small:
        annual_report_data(academic_year=year)
    extra = pair_of(
        mentor("Четвертова"),
        [mentee(f"Добавова{n}", experience="1") for n in range(3)],
        starts_on=date(year, 9, 20),
        ends_on=date(year + 1, 3, 20),
    )
    extra = end(extra, on=date(year + 1, 3, 20))
    program(extra, confirmed_on=date(year, 9, 25))
    for day in range(1, 6):
        meeting(extra, date(year, 10, day), 45)
    with CaptureQueriesContext(connection) as larger:
        annual_report_data(academic_year=year)
    # Empty id lists skip their query, so an empty year may take fewer.
    assert len(empty) <= len(small) == len(larger) <= 12


# ---- saving the analysis -------------------------------------------------------------------------


def test_conclusions_are_saved_once_per_year_and_updated(in_school_a, world):
    year = report_year()
    report = services.annual_report_save(
        actor=world.curator_a, academic_year=year, conclusions="  Система работает.  ", proposals="Расширить банк."
    )
    assert (report.conclusions, report.proposals, report.created_by_id) == (
        "Система работает.",
        "Расширить банк.",
        world.curator_a.pk,
    )
    services.annual_report_save(
        actor=world.council_a, academic_year=str(year), conclusions="Новые выводы", proposals=""
    )
    assert AnnualReport.objects.count() == 1
    saved = AnnualReport.objects.get()
    assert (saved.conclusions, saved.proposals, saved.created_by_id) == ("Новые выводы", "", world.curator_a.pk)


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("двадцать", "Укажите учебный год числом"),
        (None, "Укажите учебный год числом"),
        ("future", "Укажите учебный год числом"),
        (2018, "не раньше 2019/2020"),
    ],
)
def test_a_wrong_year_is_refused_and_nothing_is_written(in_school_a, year, message):
    with pytest.raises(ValidationError, match=message) as error:
        services.annual_report_save(actor=None, academic_year=year, conclusions="x", proposals="y")
    assert "academic_year" in error.value.message_dict
    assert AnnualReport.objects.count() == 0


def test_a_year_that_has_not_begun_is_refused(in_school_a):
    next_year = academic_year_of(organization_today()) + 1
    with pytest.raises(ValidationError, match="ещё нельзя составить"):
        services.annual_report_save(actor=None, academic_year=next_year, conclusions="x", proposals="")
    assert AnnualReport.objects.count() == 0


def test_too_long_text_is_refused_and_nothing_is_written(in_school_a):
    with pytest.raises(ValidationError) as error:
        services.annual_report_save(
            actor=None, academic_year=report_year(), conclusions="а" * 20_001, proposals=["не текст"]
        )
    assert set(error.value.message_dict) == {"conclusions", "proposals"}
    assert "не более 20000 символов" in error.value.message_dict["conclusions"][0]
    assert AnnualReport.objects.count() == 0


# ---- the DOCX ------------------------------------------------------------------------------------


def test_docx_has_the_sections_figures_analysis_and_charts(in_school_a, world):
    scene = build_scene()
    services.annual_report_save(
        actor=world.curator_a,
        academic_year=scene.year,
        conclusions="Наставничество помогло молодым педагогам.",
        proposals="Провести конкурс «Лучшая пара».",
    )
    saved = AnnualReport.objects.get()
    content = document_bytes(
        annual_report_document(
            annual_report_data(academic_year=scene.year),
            organization=world.school_a,
            conclusions=saved.conclusions,
            proposals=saved.proposals,
            curator_name="Кураторова М. И.",
            today=date(scene.year + 1, 8, 30),
        )
    )
    text = document_text(content)
    label = f"{scene.year}/{scene.year + 1}"
    for expected in (
        world.school_a.full_name,
        "АНАЛИТИЧЕСКИЙ ОТЧЁТ",
        f"о реализации системы наставничества педагогических работников в {world.school_a.short_name} "
        f"за {label} учебный год",
        "1. Общие сведения",
        "2. Участники системы наставничества",
        "3. Наставнические пары и группы",
        "4. Реализация персонализированных программ наставничества",
        "5. Результаты наставничества и удовлетворённость участников",
        "6. Выполнение дорожной карты",
        "7. Выводы",
        f"8. Предложения на {scene.year + 1}/{scene.year + 2} учебный год",
        "Действовало пар и групп в учебном году, всего | 3",
        "в том числе групп (два и более наставляемых) | 1",
        "Досрочно по инициативе наставляемого | 1",
        "Руководитель образовательной организации – педагог | 1",
        "Общая продолжительность встреч, ч | 3,3",
        "Представлено итоговых отчётов | 3",
        "Средняя оценка работы наставников наставляемыми (из 5) | 4,50",
        "Удовлетворённость наставляемых, средний балл (из 5) | 3,50",
        "Формирование банков | 2 | 1 | 1 | 50,0",
        "Доля молодых специалистов, за которыми закреплён наставник | 75,0 %",
        "Консультации педагога-психолога раз в две недели",
        # statements from the data, then the curator's own text
        "Действовали наставнические пары и группы: 3 (пар — 2, групп — 1)",
        "Наставляемые, для которых наставник не подобран: 1",
        "Наставничество помогло молодым педагогам.",
        "Провести конкурс «Лучшая пара».",
        "Выполнить просроченные мероприятия дорожной карты (1)",
        "Куратор системы наставничества",
        "Кураторова М. И.",
        f"«30» августа {scene.year + 1} г.",
    ):
        assert expected in text, expected
    # Mentees' names never appear in the document (only counts and support measures).
    assert scene.unpaired.full_name not in text
    document = Document(io.BytesIO(content))
    assert len(document.inline_shapes) >= 4
    images = [part for part in document.part.package.parts if part.content_type == "image/png"]
    assert len(images) >= 4 and all(part.blob.startswith(b"\x89PNG") for part in images)


def test_docx_without_curator_text_still_has_conclusions_from_data(in_school_a, world):
    scene = build_scene()
    data = annual_report_data(academic_year=scene.year)
    text = document_text(
        document_bytes(annual_report_document(data, organization=world.school_a, today=organization_today()))
    )
    conclusions = text.split("7. Выводы", 1)[1].split("8. Предложения", 1)[0]
    assert "участвовавших в " in conclusions and "наставнической деятельности: 8 из 9 (доля — 88,9 %)" in conclusions
    assert "Представлено итоговых отчётов наставников и наставляемых: 3 из 6 ожидаемых (50,0 %)." in conclusions
    assert "Из 4 мероприятий дорожной карты выполнено 3 (75,0 %), просрочено — 1." in conclusions
    assert "заполн" not in conclusions.lower()


# ---- pages and endpoints -------------------------------------------------------------------------


def _saved():
    return list(AnnualReport.objects.values_list("academic_year", "conclusions", "proposals"))


def test_page_and_api_permission_matrix(world, client_on):
    year = report_year()
    for path in (
        "/org/reports/annual/",
        f"/org/reports/annual/?year={year}",
        f"/org/reports/annual/{year}/docx/",
        f"/api/v1/org/annual-report/{year}/",
        f"/api/v1/org/annual-report/{year}/docx/",
    ):
        check_matrix(world, client_on, "get", path, allowed=OVERSEERS)
    check_matrix(
        world,
        client_on,
        "post",
        f"/org/reports/annual/?year={year}",
        allowed=MANAGERS,
        data={"conclusions": "Выводы", "proposals": "Предложения"},
        state=_saved,
    )
    check_matrix(
        world,
        client_on,
        "put",
        f"/api/v1/org/annual-report/{year}/",
        allowed=MANAGERS,
        data={"conclusions": "Выводы API", "proposals": ""},
        content_type="application/json",
        state=_saved,
    )


def test_page_shows_figures_and_saves_the_analysis(world, client_on):
    connection.set_tenant(world.school_a)
    scene = build_scene()
    connection.set_schema_to_public()
    client = client_on(world.host(world.school_a), world.curator_a)

    page = client.get(f"/org/reports/annual/?year={scene.year}").content.decode()
    assert f"Аналитический отчёт куратора за {scene.year}/{scene.year + 1} учебный год" in page
    assert "Консультации педагога-психолога раз в две недели" in page and "Сформировать DOCX" in page
    default = client.get("/org/reports/annual/").content.decode()
    current = academic_year_of(organization_today())
    assert f'<option value="{current}" selected>' in default

    response = client.post(
        f"/org/reports/annual/?year={scene.year}",
        {"conclusions": "Цели года достигнуты.", "proposals": "Обучить наставников."},
    )
    assert response.status_code == 302 and response["Location"].endswith(f"?year={scene.year}")
    connection.set_tenant(world.school_a)
    assert _saved() == [(scene.year, "Цели года достигнуты.", "Обучить наставников.")]
    connection.set_schema_to_public()

    docx = client.get(f"/org/reports/annual/{scene.year}/docx/")
    assert docx.status_code == 200
    text = document_text(docx.content)
    assert "Цели года достигнуты." in text and "Обучить наставников." in text
    assert "Кураторова" in text  # the curator who generated it signs


def test_director_reads_but_cannot_write(world, client_on):
    client = client_on(world.host(world.school_a), world.director_a)
    year = report_year()
    page = client.get(f"/org/reports/annual/?year={year}").content.decode()
    assert "<textarea" not in page and "Выводы куратора" in page
    assert client.post(f"/org/reports/annual/?year={year}", {"conclusions": "x"}).status_code == 403
    assert (
        client.put(
            f"/api/v1/org/annual-report/{year}/", {"conclusions": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    connection.set_tenant(world.school_a)
    assert _saved() == []


def test_bad_years_answer_404_or_a_clear_message(world, client_on):
    client = client_on(world.host(world.school_a), world.curator_a)
    future = academic_year_of(organization_today()) + 1
    for path in (
        f"/org/reports/annual/{future}/docx/",
        "/org/reports/annual/1/docx/",
        "/org/reports/annual/2018/docx/",
        f"/api/v1/org/annual-report/{future}/",
        "/api/v1/org/annual-report/1/",
        "/api/v1/org/annual-report/99999999999999999999/",
        "/api/v1/org/annual-report/1/docx/",
    ):
        assert client.get(path).status_code == 404, path
    assert client.put("/api/v1/org/annual-report/1/", {}, content_type="application/json").status_code == 404

    for garbage in ("двадцать", str(future), "2018", "-1"):
        response = client.get("/org/reports/annual/", {"year": garbage})
        assert response.status_code == 200
        assert "Учебный год указан неверно; показан текущий учебный год." in response.content.decode()
    response = client.post("/org/reports/annual/?year=двадцать", {"conclusions": "x"})
    assert response.status_code == 400 and "выберите год из списка" in response.content.decode()
    response = client.post("/org/reports/annual/", {"conclusions": "а" * 20_001})
    assert response.status_code == 400
    response = client.put(
        f"/api/v1/org/annual-report/{report_year()}/",
        {"conclusions": "а" * 20_001},
        content_type="application/json",
    )
    assert response.status_code == 400 and "conclusions" in response.json()
    connection.set_tenant(world.school_a)
    assert _saved() == []


def test_api_returns_figures_and_saves_the_analysis(world, client_on):
    connection.set_tenant(world.school_a)
    scene = build_scene()
    connection.set_schema_to_public()
    client = client_on(world.host(world.school_a), world.council_a)
    url = f"/api/v1/org/annual-report/{scene.year}/"

    body = client.get(url).json()
    figures = body["figures"]
    assert figures["pairs_total"] == 3 and figures["groups"] == 1
    assert figures["satisfaction"] == {
        "mentor_mean": "5.00",
        "mentor_count": 1,
        "mentee_mean": "3.50",
        "mentee_count": 2,
    }
    assert figures["reports_expected"] == 6 and figures["reports_submitted"] == 3
    assert body["conclusions"] == "" and body["updated_at"] is None

    saved = client.put(url, {"conclusions": "Выводы совета"}, content_type="application/json")
    assert saved.status_code == 200 and saved.json()["conclusions"] == "Выводы совета"
    client.put(url, {"proposals": "Предложение"}, content_type="application/json")
    assert client.get(url).json()["conclusions"] == "Выводы совета"  # a partial update keeps the other text
    docx = client.get(f"{url}docx/")
    assert docx.status_code == 200 and "Выводы совета" in document_text(docx.content)
