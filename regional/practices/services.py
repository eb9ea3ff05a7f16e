"""Write path of best practices (public schema rows; `case_start` reads the organization's schema first).

`case_start` runs on the organization's connection (its schema first on the search path): it reads
the completed program there and writes the public `PracticeCase`. The other services write only
public tables and may run on any host. Each checks that the actor holds the right role in the
organization whose turn it is (the case's organization, its municipality, its region), validates
everything before writing, runs in one transaction and leaves nothing changed when it refuses.
Every write recomputes the case's search vector (Russian morphology).
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from institutional.models import MenteeCategory, PairForm, PairKind
from nastavnik.uploads import validate_upload
from regional.models import PracticeCase, PracticeMaterial, PracticeReview
from regional.practices import source
from regional.practices.access import MUNICIPAL_REVIEWERS, REGIONAL_REVIEWERS, WRITERS, municipality_of, region_of
from tenants.models import Level, Organization
from tenants.selectors import membership_roles

Status = PracticeCase.Status
Stage = PracticeReview.Stage
Decision = PracticeReview.Decision

EDITABLE = (Status.DRAFT, Status.RETURNED)
TEXT_FIELDS = ("title", "problem", "goal", "activities", "results", "materials", "authors")
MAX_LENGTHS = {"title": 300, "authors": 500}
REQUIRED_TO_SUBMIT = {
    "title": "Укажите название кейса.",
    "problem": "Опишите проблему, которую решала программа.",
    "goal": "Укажите цель.",
    "activities": "Опишите мероприятия.",
    "results": "Опишите достигнутые результаты.",
}
MATERIAL_FORMATS = ("pdf", "docx", "xlsx", "jpeg", "png")
MAX_MATERIALS = 10

SEARCH_VECTOR = (
    SearchVector("title", weight="A", config="russian")
    + SearchVector("problem", "goal", weight="B", config="russian")
    + SearchVector("activities", "results", weight="C", config="russian")
)


# --- helpers -------------------------------------------------------------------------------------


def _roles(actor, organization) -> frozenset[str]:
    if actor is None or organization is None:
        return frozenset()
    return membership_roles(user=actor, organization=organization)


def _require_writer(actor, organization: Organization) -> None:
    if not _roles(actor, organization) & WRITERS:
        raise ValidationError(
            f"Кейсы организации «{organization.short_name}» пишут её куратор, члены совета наставников и руководитель."
        )


def _require_editable(case: PracticeCase, action: str) -> None:
    if case.status not in EDITABLE:
        raise ValidationError(
            f"Кейс «{case.title}» {case.get_status_display().lower()}: {action} можно только черновик "
            "или кейс, возвращённый на доработку."
        )


def _refresh_search(case: PracticeCase) -> None:
    PracticeCase.objects.filter(pk=case.pk).update(search=SEARCH_VECTOR)


def _locked(case: PracticeCase) -> PracticeCase:
    """The case re-read under a row lock (two decisions on one case wait for each other)."""
    return (
        PracticeCase.objects.select_for_update(of=("self",))
        .select_related("organization", "municipality", "region")
        .get(pk=case.pk)
    )


def current_organization() -> Organization | None:
    """The organization whose schema the connection is in (None in the public schema)."""
    schema = connection.schema_name
    return Organization.objects.select_related("parent").filter(schema_name=schema).first()


def last_return(case: PracticeCase) -> PracticeReview | None:
    return case.reviews.filter(decision=Decision.RETURN).order_by("-decided_at", "-pk").first()


# --- writing a case --------------------------------------------------------------------------------


def case_start(*, actor, program_id: int) -> PracticeCase:
    """A draft case from a completed program of the organization whose schema the connection is in.

    Pre-filled from the program (title, goal, form, kinds, activities, planned results) and the
    categories of its mentees; nothing else about the mentees is read (see `regional.practices.source`).
    """
    organization = current_organization()
    if organization is None or organization.level != Level.ORGANIZATION:
        raise ValidationError("Кейс пишет образовательная организация по своей завершённой программе.")
    _require_writer(actor, organization)
    program = source.program_get(program_id)
    if program is None:
        raise ValidationError({"program_id": "Программа не найдена."})
    problem = source.completion_problem(program)
    if problem:
        raise ValidationError({"program_id": problem})
    values = source.program_prefill(program)
    with transaction.atomic():
        live = (
            PracticeCase.objects.filter(organization=organization, program_id=program.pk)
            .exclude(status=Status.REJECTED)
            .first()
        )
        if live is not None:
            raise ValidationError(
                {
                    "program_id": f"По программе «{program.title}» кейс уже написан: «{live.title}» "
                    f"({live.get_status_display().lower()})."
                }
            )
        try:
            with transaction.atomic():
                case = PracticeCase.objects.create(
                    organization=organization,
                    municipality=municipality_of(organization),
                    region=region_of(organization),
                    created_by=actor,
                    **values,
                )
        except IntegrityError as error:
            raise ValidationError({"program_id": "По этой программе кейс уже написан."}) from error
        _refresh_search(case)
    case.refresh_from_db()
    return case


def _clean(data: dict) -> dict:
    """The editable values present in `data`, validated (a draft may still miss required text)."""
    values: dict = {}
    errors: dict[str, str] = {}
    for name in TEXT_FIELDS:
        if name not in data:
            continue
        text = str(data.get(name) or "").strip()
        limit = MAX_LENGTHS.get(name)
        if limit and len(text) > limit:
            errors[name] = f"Не длиннее {limit} символов (сейчас {len(text)})."
        values[name] = text
    if "title" in values and not values["title"]:
        errors["title"] = REQUIRED_TO_SUBMIT["title"]
    if "form" in data:
        if data["form"] not in PairForm.values:
            errors["form"] = "Укажите форму наставничества из перечня."
        values["form"] = data["form"]
    if "kinds" in data:
        kinds = list(dict.fromkeys(data.get("kinds") or []))
        if not kinds:
            errors["kinds"] = "Укажите вид (виды) наставничества."
        elif any(kind not in PairKind.values for kind in kinds):
            errors["kinds"] = "Неизвестный вид наставничества."
        values["kinds"] = kinds
    if "mentee_categories" in data:
        categories = list(dict.fromkeys(data.get("mentee_categories") or []))
        if any(category not in MenteeCategory.values for category in categories):
            errors["mentee_categories"] = "Неизвестная категория наставляемых."
        values["mentee_categories"] = [value for value in MenteeCategory.values if value in categories]
    if errors:
        raise ValidationError(errors)
    return values


def case_update(*, actor, case: PracticeCase, data: dict) -> PracticeCase:
    """Change a draft or a returned case: title, problem, goal, form, kinds, categories, activities,
    results, materials text and the authors line (typed by the curator). Keys absent stay as they are."""
    values = _clean(data)
    with transaction.atomic():
        case = _locked(case)
        _require_writer(actor, case.organization)
        _require_editable(case, "изменять")
        for name, value in values.items():
            setattr(case, name, value)
        case.save()
        _refresh_search(case)
    case.refresh_from_db()
    return case


def material_add(*, actor, case: PracticeCase, title: str, upload) -> PracticeMaterial:
    """Attach a file (PDF, DOCX, XLSX, JPEG, PNG up to 10 MB, judged by its content) to an editable case.

    Stored with the organization's own uploads (MEDIA_ROOT/<its schema>/practices/), whatever host
    the request came from.
    """
    title = (title or "").strip() or (getattr(upload, "name", "") or "").rsplit("/", 1)[-1].strip()
    errors = {}
    if not title:
        errors["title"] = "Укажите название материала."
    elif len(title) > 300:
        errors["title"] = "Название материала — не длиннее 300 символов."
    try:
        validate_upload(upload, allowed=MATERIAL_FORMATS, field_label="Материал кейса")
    except ValidationError as error:
        errors["file"] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = _locked(case)
        _require_writer(actor, case.organization)
        _require_editable(case, "добавлять материалы")
        if case.files.count() >= MAX_MATERIALS:
            raise ValidationError({"file": f"К кейсу можно приложить не больше {MAX_MATERIALS} материалов."})
        with schema_context(case.organization.schema_name):
            material = PracticeMaterial(case=case, title=title)
            material.file.save(upload.name.rsplit("/", 1)[-1], upload, save=False)
            material.save()
        _refresh_search(case)
    return material


def material_remove(*, actor, material: PracticeMaterial) -> None:
    with transaction.atomic():
        case = _locked(material.case)
        _require_writer(actor, case.organization)
        _require_editable(case, "удалять материалы")
        schema, name = case.organization.schema_name, material.file.name
        material.delete()

        def delete_file():
            from django.core.files.storage import default_storage

            with schema_context(schema):
                default_storage.delete(name)

        transaction.on_commit(delete_file)


def submit_stage(case: PracticeCase) -> str:
    """Where a submitted case goes: the municipality, or the region for organizations of regional
    subordination and for a case the region itself returned (the municipality approved it already)."""
    if case.municipality_id is None:
        return Status.REGIONAL_REVIEW
    if case.status == Status.RETURNED:
        returned = last_return(case)
        if returned is not None and returned.stage == Stage.REGION:
            return Status.REGIONAL_REVIEW
    return Status.MUNICIPAL_REVIEW


def case_submit(*, actor, case: PracticeCase) -> PracticeCase:
    """Send a draft (or a returned case, after the fixes) up for review."""
    with transaction.atomic():
        case = _locked(case)
        _require_writer(actor, case.organization)
        _require_editable(case, "направить на рассмотрение")
        errors = {name: message for name, message in REQUIRED_TO_SUBMIT.items() if not getattr(case, name).strip()}
        if case.form not in PairForm.values:
            errors["form"] = "Укажите форму наставничества из перечня."
        if not case.kinds:
            errors["kinds"] = "Укажите вид (виды) наставничества."
        if errors:
            raise ValidationError(errors)
        case.status = submit_stage(case)
        # The first submission's time: K10 counts a case in the period it was first sent upward.
        case.submitted_at = case.submitted_at or timezone.now()
        case.save(update_fields=["status", "submitted_at", "updated_at"])
        _refresh_search(case)
    return case


# --- review ------------------------------------------------------------------------------------------


def _check_reviewer(actor, case: PracticeCase) -> str:
    """The stage the actor decides at, or a ValidationError naming who decides instead."""
    if case.status == Status.MUNICIPAL_REVIEW:
        municipality = case.municipality
        if _roles(actor, municipality) & MUNICIPAL_REVIEWERS:
            return Stage.MUNICIPALITY
        if _roles(actor, case.region) & REGIONAL_REVIEWERS:
            raise ValidationError(
                f"Кейс «{case.title}» ещё на рассмотрении муниципалитета «{municipality.short_name}»: "
                "региональная модерация начнётся после его решения."
            )
        raise ValidationError(
            f"Кейс «{case.title}» рассматривает муниципалитет «{municipality.short_name}»: решение принимает "
            "муниципальный координатор этого муниципалитета."
        )
    if case.status == Status.REGIONAL_REVIEW:
        if _roles(actor, case.region) & REGIONAL_REVIEWERS:
            return Stage.REGION
        raise ValidationError(
            f"Кейс «{case.title}» на модерации в регионе: решение принимает региональный координатор или методист."
        )
    raise ValidationError(
        f"Кейс «{case.title}» {case.get_status_display().lower()}: решение по нему сейчас не принимается."
    )


def case_review(*, actor, case: PracticeCase, decision: str, comment: str = "") -> PracticeReview:
    """The decision of the municipality or the region: approve (on to the region / published),
    return for fixes or reject — the last two with a comment the organization sees."""
    comment = (comment or "").strip()
    errors = {}
    if decision not in Decision.values:
        errors["decision"] = "Выберите решение: одобрить, вернуть на доработку или отклонить."
    elif decision in (Decision.RETURN, Decision.REJECT) and not comment:
        errors["comment"] = (
            "Напишите, что нужно доработать." if decision == Decision.RETURN else "Объясните, почему кейс отклонён."
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = _locked(case)
        stage = _check_reviewer(actor, case)
        now = timezone.now()
        if decision == Decision.APPROVE:
            if stage == Stage.MUNICIPALITY:
                case.status = Status.REGIONAL_REVIEW
            else:
                case.status, case.published_at = Status.PUBLISHED, now
        elif decision == Decision.RETURN:
            case.status = Status.RETURNED
        else:
            case.status = Status.REJECTED
        case.save(update_fields=["status", "published_at", "updated_at"])
        review = PracticeReview.objects.create(
            case=case, stage=stage, decision=decision, comment=comment, reviewer=actor, decided_at=now
        )
        _refresh_search(case)
    return review
