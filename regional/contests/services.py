"""Write path of the region's contests (public schema; nominating also reads the organization's schema).

Every service validates everything before writing, writes in one transaction under a lock on the
contest's row (so a stage change and a nomination or a score never interleave) and writes nothing
when it refuses. Stages move only forward: draft → nomination → judging → results.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django_tenants.utils import tenant_context

from institutional.dates import organization_today
from nastavnik.audit import actor_context, actor_id
from regional.contests import nominees, results
from regional.contests.access import CONTEST_MANAGERS, NOMINATORS
from regional.models import Contest, ContestJuror, Nomination, Score
from tenants.models import Level, Membership, Organization, User

# What a nomination shows instead of the person after they withdrew their publication consent.
HIDDEN = "сведения скрыты по отзыву согласия"
NAME_CONSENT_REQUIRED = "Для выдвижения нужно согласие наставника на публикацию ФИО"
MAX_CRITERIA = 12
MAX_SCORE = 100
MAX_PRIZE_PLACES = 10
JUSTIFICATION_MAX = 5000


def _date(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _stage(contest: Contest) -> str:
    return f"конкурс «{contest.title}» сейчас на этапе «{contest.get_status_display()}»"


def region_organization_ids(region: Organization) -> list[int]:
    """The region itself, its municipalities and every organization under them."""
    return list(
        Organization.objects.filter(Q(pk=region.pk) | Q(parent=region) | Q(parent__parent=region)).values_list(
            "pk", flat=True
        )
    )


def _holds_role(user, organization: Organization, roles) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(user=user, organization=organization, role__in=roles, is_active=True).exists()


def _require_manager(actor, region: Organization) -> None:
    if not _holds_role(actor, region, CONTEST_MANAGERS):
        raise ValidationError("Конкурсами региона управляет региональный координатор.")


def _locked(contest: Contest) -> Contest:
    return Contest.objects.select_for_update().get(pk=contest.pk)


# --- the contest itself ------------------------------------------------------------------------------


def _clean_criteria(criteria) -> tuple[list[dict], list[str]]:
    """[{"code": "c1", "title": …, "max": …}, …] from rows of {"title", "max"}; blank rows are skipped."""
    errors: list[str] = []
    cleaned: list[dict] = []
    seen: set[str] = set()
    rows = list(criteria or []) if isinstance(criteria, list | tuple) else None
    if rows is None:
        return [], ["Критерии оценки передаются списком: название и максимальный балл каждого."]
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, Mapping):
            errors.append(f"Критерий № {number}: укажите название и максимальный балл.")
            continue
        title = str(row.get("title") or "").strip()
        raw_max = row.get("max")
        raw_max = "" if raw_max is None else str(raw_max).strip()
        if not title and not raw_max:
            continue
        if not title:
            errors.append(f"Укажите название критерия № {number}.")
            continue
        if len(title) > 200:
            errors.append(f"Название критерия № {number} длиннее 200 знаков.")
            continue
        if not raw_max.isdigit() or not 1 <= int(raw_max) <= MAX_SCORE:
            errors.append(f"Максимальный балл критерия «{title}» — целое число от 1 до {MAX_SCORE}.")
            continue
        if title.lower() in seen:
            errors.append(f"Критерий «{title}» указан дважды.")
            continue
        seen.add(title.lower())
        cleaned.append({"code": f"c{len(cleaned) + 1}", "title": title, "max": int(raw_max)})
    if not errors and not cleaned:
        errors.append("Добавьте хотя бы один критерий оценки.")
    if len(cleaned) > MAX_CRITERIA:
        errors.append(f"Критериев не может быть больше {MAX_CRITERIA}.")
    return cleaned, errors


def _clean_contest(*, region, kind, title, description, nominations_from, nominations_until, criteria, winners) -> dict:
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    description = (description or "").strip()
    if kind not in Contest.Kind.values:
        errors["kind"] = ["Выберите вид конкурса."]
    if not title:
        errors["title"] = ["Укажите название конкурса."]
    elif len(title) > 300:
        errors["title"] = ["Название конкурса длиннее 300 знаков."]
    if len(description) > 20000:
        errors["description"] = ["Описание конкурса длиннее 20 000 знаков."]
    if nominations_from is None:
        errors["nominations_from"] = ["Укажите дату начала выдвижения."]
    if nominations_until is None:
        errors["nominations_until"] = ["Укажите дату окончания выдвижения."]
    elif nominations_from is not None and nominations_until < nominations_from:
        errors["nominations_until"] = ["Окончание выдвижения не может быть раньше начала."]
    elif nominations_until < organization_today(region):
        errors["nominations_until"] = [f"Окончание выдвижения ({_date(nominations_until)}) уже прошло."]
    try:
        winners = int(winners)
    except (TypeError, ValueError):
        winners = 0
    if not 1 <= winners <= MAX_PRIZE_PLACES:
        errors["winners"] = [f"Число призовых мест — от 1 до {MAX_PRIZE_PLACES}."]
    cleaned_criteria, criteria_errors = _clean_criteria(criteria)
    if criteria_errors:
        errors["criteria"] = criteria_errors
    if errors:
        raise ValidationError(errors)
    return {
        "kind": kind,
        "title": title,
        "description": description,
        "nominations_from": nominations_from,
        "nominations_until": nominations_until,
        "criteria": cleaned_criteria,
        "winners": winners,
    }


def contest_create(
    *,
    actor,
    region: Organization,
    kind: str,
    title: str,
    nominations_from: date | None,
    nominations_until: date | None,
    criteria: list,
    winners,
    description: str = "",
) -> Contest:
    """A new contest of the region, in draft (nobody below the region sees it yet)."""
    if region.level != Level.REGION:
        raise ValidationError("Конкурс объявляет регион.")
    _require_manager(actor, region)
    values = _clean_contest(
        region=region,
        kind=kind,
        title=title,
        description=description,
        nominations_from=nominations_from,
        nominations_until=nominations_until,
        criteria=criteria,
        winners=winners,
    )
    with transaction.atomic(), actor_context(actor_id(actor)):
        return Contest.objects.create(region=region, created_by=actor, **values)


def contest_update(
    *,
    actor,
    contest: Contest,
    kind: str,
    title: str,
    nominations_from: date | None,
    nominations_until: date | None,
    criteria: list,
    winners,
    description: str = "",
) -> Contest:
    """Edit a contest while it is in draft."""
    _require_manager(actor, contest.region)
    values = _clean_contest(
        region=contest.region,
        kind=kind,
        title=title,
        description=description,
        nominations_from=nominations_from,
        nominations_until=nominations_until,
        criteria=criteria,
        winners=winners,
    )
    with transaction.atomic(), actor_context(actor_id(actor)):
        locked = _locked(contest)
        if locked.status != Contest.Status.DRAFT:
            raise ValidationError(f"Изменять условия можно только до объявления конкурса, а {_stage(locked)}.")
        for name, value in values.items():
            setattr(locked, name, value)
        locked.save(update_fields=list(values))
    return locked


# --- the jury ------------------------------------------------------------------------------------------


def juror_add(*, actor, contest: Contest, email: str) -> ContestJuror:
    """Appoint a platform user (found by e-mail) working in the region to the contest's jury."""
    _require_manager(actor, contest.region)
    email = (email or "").strip().lower()
    if not email:
        raise ValidationError({"email": "Укажите электронную почту члена жюри."})
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        raise ValidationError({"email": f"Пользователь с адресом {email} на платформе не найден."})
    in_region = Membership.objects.filter(
        user=user, is_active=True, organization_id__in=region_organization_ids(contest.region)
    ).exists()
    if not in_region:
        raise ValidationError(
            {
                "email": f"{user.get_full_name()} не работает ни в одной организации региона: "
                "член жюри оценивает выдвижения на платформе региона."
            }
        )
    with transaction.atomic(), actor_context(actor_id(actor)):
        locked = _locked(contest)
        if locked.status == Contest.Status.RESULTS:
            raise ValidationError(f"Итоги подведены — состав жюри больше не меняется ({_stage(locked)}).")
        if ContestJuror.objects.filter(contest=locked, user=user).exists():
            raise ValidationError({"email": f"{user.get_full_name()} уже в жюри конкурса."})
        return ContestJuror.objects.create(contest=locked, user=user)


def juror_remove(*, actor, contest: Contest, user_id: int) -> None:
    """Take a juror off the jury; the scores they gave in this contest are removed with them."""
    _require_manager(actor, contest.region)
    with transaction.atomic(), actor_context(actor_id(actor)):
        locked = _locked(contest)
        juror = ContestJuror.objects.filter(contest=locked, user_id=user_id).select_related("user").first()
        if juror is None:
            raise ValidationError("Этого человека нет в жюри конкурса.")
        if locked.status == Contest.Status.RESULTS:
            raise ValidationError(f"Итоги подведены — состав жюри больше не меняется ({_stage(locked)}).")
        if locked.status != Contest.Status.DRAFT and locked.jurors.count() == 1:
            raise ValidationError("В жюри объявленного конкурса должен остаться хотя бы один человек.")
        Score.objects.filter(nomination__contest=locked, juror_id=user_id).delete()
        juror.delete()


# --- stages --------------------------------------------------------------------------------------------


def contest_announce(*, actor, contest: Contest) -> Contest:
    """Draft → nomination: organizations of the region see the contest and may nominate in its window."""
    _require_manager(actor, contest.region)
    with transaction.atomic(), actor_context(actor_id(actor)):
        locked = _locked(contest)
        if locked.status != Contest.Status.DRAFT:
            raise ValidationError(f"Объявить можно только конкурс на этапе подготовки, а {_stage(locked)}.")
        problems = []
        if not locked.criteria:
            problems.append("добавьте критерии оценки")
        if not locked.jurors.exists():
            problems.append("назначьте жюри")
        if locked.nominations_until < organization_today(locked.region):
            problems.append(f"окончание выдвижения ({_date(locked.nominations_until)}) уже прошло — измените даты")
        if problems:
            raise ValidationError("Перед объявлением конкурса " + "; ".join(problems) + ".")
        locked.status = Contest.Status.NOMINATION
        locked.save(update_fields=["status"])
    return locked


def contest_close_nominations(*, actor, contest: Contest) -> Contest:
    """Nomination → judging: no more nominations; the jury scores."""
    _require_manager(actor, contest.region)
    with transaction.atomic(), actor_context(actor_id(actor)):
        locked = _locked(contest)
        if locked.status != Contest.Status.NOMINATION:
            raise ValidationError(f"Закрыть приём выдвижений можно только на этапе приёма, а {_stage(locked)}.")
        if not locked.jurors.exists():
            raise ValidationError("Назначьте жюри: без него выдвижения некому оценивать.")
        locked.status = Contest.Status.JUDGING
        locked.save(update_fields=["status"])
    return locked


def missing_scores(contest: Contest) -> list[str]:
    """What keeps the results from being published: per juror, how many nominations are not fully scored."""
    codes = {criterion["code"] for criterion in contest.criteria}
    nomination_ids = list(contest.nominations.filter(status=Nomination.Status.SUBMITTED).values_list("pk", flat=True))
    jurors = list(contest.jurors.select_related("user").order_by("user__last_name", "user__first_name"))
    scored: dict[tuple[int, int], set[str]] = {}
    for juror_id, nomination_id, criterion in Score.objects.filter(
        nomination_id__in=nomination_ids, juror_id__in=[juror.user_id for juror in jurors]
    ).values_list("juror_id", "nomination_id", "criterion"):
        scored.setdefault((juror_id, nomination_id), set()).add(criterion)
    lines = []
    for juror in jurors:
        incomplete = sum(1 for pk in nomination_ids if not codes <= scored.get((juror.user_id, pk), set()))
        if incomplete:
            lines.append(f"{juror.user.get_short_name()} — не оценено выдвижений: {incomplete}")
    return lines


def contest_publish_results(*, actor, contest: Contest) -> Contest:
    """Judging → results: totals and places are computed (see regional.contests.results) and published."""
    _require_manager(actor, contest.region)
    with transaction.atomic(), actor_context(actor_id(actor)):
        locked = _locked(contest)
        if locked.status != Contest.Status.JUDGING:
            raise ValidationError(f"Подвести итоги можно только после работы жюри, а {_stage(locked)}.")
        if not locked.jurors.exists():
            raise ValidationError("В жюри никого нет: оценок, по которым подводятся итоги, тоже нет.")
        missing = missing_scores(locked)
        if missing:
            raise ValidationError("Не все оценки выставлены: " + "; ".join(missing) + ".")
        submitted = list(locked.nominations.filter(status=Nomination.Status.SUBMITTED))
        juror_ids = set(locked.jurors.values_list("user_id", flat=True))
        scores = Score.objects.filter(nomination__in=submitted, juror_id__in=juror_ids).values_list(
            "nomination_id", "juror_id", "criterion", "value"
        )
        outcomes = results.compute(
            nomination_ids=[nomination.pk for nomination in submitted],
            scores=scores,
            criteria=[criterion["code"] for criterion in locked.criteria],
            prize_places=locked.winners,
        )
        for nomination in submitted:
            outcome = outcomes[nomination.pk]
            nomination.total_score, nomination.place = outcome.total, outcome.place
        Nomination.objects.bulk_update(submitted, ["total_score", "place"])
        locked.status = Contest.Status.RESULTS
        locked.results_published_at = timezone.now()
        locked.save(update_fields=["status", "results_published_at"])
    return locked


# --- nominations -----------------------------------------------------------------------------------------


def _check_window(contest: Contest) -> None:
    if contest.status != Contest.Status.NOMINATION:
        raise ValidationError(f"Приём выдвижений не ведётся: {_stage(contest)}.")
    today = organization_today(contest.region)
    if today < contest.nominations_from:
        raise ValidationError(f"Приём выдвижений начнётся {_date(contest.nominations_from)}.")
    if today > contest.nominations_until:
        raise ValidationError(f"Приём выдвижений завершился {_date(contest.nominations_until)}.")


def _nominee(contest: Contest, *, mentor_entry_id, pair_id) -> tuple[int, int | None, str, str]:
    """(staff id, pair id, public name, public position), read in the organization's schema (current)."""
    if contest.kind == Contest.Kind.BEST_PAIR:
        pair = nominees.own_pairs().filter(pk=pair_id).first() if pair_id else None
        if pair is None:
            raise ValidationError(
                {"pair": "Выдвинуть можно только действующую или завершённую пару (группу) своей организации."}
            )
        staff = pair.mentor.staff
    else:
        entry = nominees.own_mentors().filter(pk=mentor_entry_id).first() if mentor_entry_id else None
        if entry is None:
            raise ValidationError(
                {"mentor": "Выдвинуть можно только наставника из банка наставников своей организации."}
            )
        pair, staff = None, entry.staff
    fields = nominees.published_fields(staff.pk)
    if "full_name" not in fields:
        raise ValidationError(NAME_CONSENT_REQUIRED)
    name = staff.full_name
    if pair is not None:
        labels = nominees.mentee_category_labels(pair)
        mentees = "наставляемые" if pair.participants.count() > 1 else "наставляемый"
        name = f"{name} (наставник) и {mentees}" + (f" (категория: {'; '.join(labels).lower()})" if labels else "")
    position = staff.position if "position" in fields else ""
    return staff.pk, (pair.pk if pair is not None else None), name[:300], position[:200]


def nomination_submit(
    *,
    actor,
    organization: Organization,
    contest: Contest,
    justification: str,
    mentor_entry_id: int | None = None,
    pair_id: int | None = None,
) -> Nomination:
    """The organization nominates its mentor (or, for «Лучшая пара», its pair) while the window is open."""
    if organization.level != Level.ORGANIZATION:
        raise ValidationError("Участников конкурса выдвигают образовательные организации.")
    if contest.region_id != organization.region.pk:
        raise ValidationError(
            f"Конкурс «{contest.title}» проводится в другом регионе: «{organization.short_name}» не выдвигает на него."
        )
    if not _holds_role(actor, organization, NOMINATORS):
        raise ValidationError("Выдвигает участников руководитель или куратор организации.")
    justification = (justification or "").strip()
    if not justification:
        raise ValidationError({"justification": "Напишите представление: за что выдвигается наставник."})
    if len(justification) > JUSTIFICATION_MAX:
        raise ValidationError({"justification": f"Представление длиннее {JUSTIFICATION_MAX} знаков."})
    _check_window(contest)
    with tenant_context(organization):
        staff_id, pair, name, position = _nominee(contest, mentor_entry_id=mentor_entry_id, pair_id=pair_id)
    parent = organization.parent
    duplicate = "Этот человек уже выдвинут на конкурс от организации."
    with transaction.atomic(), actor_context(actor_id(actor)):
        locked = _locked(contest)
        _check_window(locked)
        if Nomination.objects.filter(
            contest=locked, organization=organization, staff_id=staff_id, status=Nomination.Status.SUBMITTED
        ).exists():
            raise ValidationError(duplicate)
        try:
            with transaction.atomic():
                return Nomination.objects.create(
                    contest=locked,
                    organization=organization,
                    municipality=parent if parent is not None and parent.level == Level.MUNICIPALITY else None,
                    staff_id=staff_id,
                    pair_id=pair,
                    nominee_name=name,
                    nominee_position=position,
                    justification=justification,
                    submitted_by=actor,
                )
        except IntegrityError as error:  # the same person nominated at the same moment
            raise ValidationError(duplicate) from error


def nomination_withdraw(*, actor, organization: Organization, nomination: Nomination) -> Nomination:
    """The organization takes its nomination back while nominations are still being accepted."""
    if nomination.organization_id != organization.pk:
        raise ValidationError("Отозвать можно только выдвижение своей организации.")
    if not _holds_role(actor, organization, NOMINATORS):
        raise ValidationError("Отзывает выдвижение руководитель или куратор организации.")
    with transaction.atomic(), actor_context(actor_id(actor)):
        contest = _locked(nomination.contest)
        if contest.status != Contest.Status.NOMINATION:
            raise ValidationError(f"Отозвать выдвижение можно только во время приёма выдвижений, а {_stage(contest)}.")
        locked = Nomination.objects.select_for_update().get(pk=nomination.pk)
        if locked.status != Nomination.Status.SUBMITTED:
            raise ValidationError("Это выдвижение уже отозвано.")
        locked.status = Nomination.Status.WITHDRAWN
        locked.save(update_fields=["status"])
    return locked


def nominations_unpublish(*, organization_id: int, staff_id: int) -> int:
    """A person withdrew their publication consent: hide their name and position in every nomination.

    Called by the consent service in the same transaction as the withdrawal; returns how many
    nominations changed (nominations of a «Лучшая пара» lose the mentee's category label too, since
    it is part of the nominee's line).
    """
    return (
        Nomination.objects.filter(organization_id=organization_id, staff_id=staff_id)
        .exclude(nominee_name=HIDDEN, nominee_position="")
        .update(nominee_name=HIDDEN, nominee_position="")
    )


# --- scores ----------------------------------------------------------------------------------------------


def _score_value(raw, criterion: dict) -> tuple[int | None, str | None]:
    scale = f"Балл по критерию «{criterion['title']}» должен быть от 0 до {criterion['max']}"
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, f"Поставьте балл по критерию «{criterion['title']}»."
    if isinstance(raw, bool):
        return None, scale
    if isinstance(raw, int):
        value = raw
    else:
        text = str(raw).strip()
        if not text.lstrip("-").isdigit() or len(text) > 6:
            return None, scale
        value = int(text)
    if not 0 <= value <= int(criterion["max"]):
        return None, scale
    return value, None


def scores_submit(*, actor, nomination: Nomination, values: Mapping[str, object]) -> list[Score]:
    """A juror's scores for one nomination on every criterion (again replaces them), during judging only."""
    contest = nomination.contest
    errors: dict[str, str] = {}
    cleaned: dict[str, int] = {}
    for criterion in contest.criteria:
        value, error = _score_value(values.get(criterion["code"]), criterion)
        if error:
            errors[criterion["code"]] = error
        else:
            cleaned[criterion["code"]] = value
    with transaction.atomic(), actor_context(actor_id(actor)):
        locked = _locked(contest)
        if not ContestJuror.objects.filter(contest=locked, user_id=actor_id(actor)).exists():
            raise ValidationError("Оценивают выдвижения только члены жюри конкурса.")
        if locked.status != Contest.Status.JUDGING:
            raise ValidationError(f"Оценки выставляются на этапе «Работа жюри», а {_stage(locked)}.")
        if nomination.contest_id != locked.pk or nomination.status != Nomination.Status.SUBMITTED:
            raise ValidationError("Это выдвижение отозвано организацией — оценивать его не нужно.")
        if errors:
            raise ValidationError(errors)
        saved = []
        now = timezone.now()
        for code, value in cleaned.items():
            score, _created = Score.objects.update_or_create(
                nomination=nomination,
                juror_id=actor_id(actor),
                criterion=code,
                defaults={"value": value, "scored_at": now},
            )
            saved.append(score)
    return saved
