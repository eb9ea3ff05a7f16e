"""Runs in the ORGANIZATION's schema: the completed programs a case may be written from, and the draft
content a case takes from one of them.

Privacy by construction: from the program it reads the title, goal, interaction formats, meeting
mode, the plan's activity titles with their dates and the planned results; from the pair its form
and kinds; from the mentee bank ONLY the `categories` column. The mentee's name, request,
difficulties, meeting notes and reports are never read here, so they cannot reach the public row.
"""

from __future__ import annotations

from institutional.models import MeetingMode, MenteeCategory, MenteeEntry, Pair, Program

# A pair that has not ended yet: its program is still being carried out.
RUNNING_PAIR_STATUSES = (Pair.Status.DRAFT, Pair.Status.APPROVED, Pair.Status.ACTIVE)


def program_get(program_id) -> Program | None:
    try:
        program_id = int(program_id)
    except (TypeError, ValueError):
        return None
    return Program.objects.select_related("pair").filter(pk=program_id).first()


def is_completed(program: Program) -> bool:
    """Completed: marked so, or its pair ended with the plan carried out in full."""
    return program.status == Program.Status.COMPLETED or program.pair.status == Pair.Status.COMPLETED


def completion_problem(program: Program) -> str:
    """Why no case may be written from the program yet (empty when it may)."""
    if is_completed(program):
        return ""
    if program.pair.status == Pair.Status.ENDED_EARLY:
        return (
            f"Кейс пишется по программе, выполненной в полном объёме: наставничество по программе "
            f"«{program.title}» завершено досрочно."
        )
    return f"Кейс пишется по завершённой программе: программа «{program.title}» ещё выполняется."


def completed_programs(*, exclude_ids=()) -> list[Program]:
    """Completed programs of the organization, most recently ended first, without those in `exclude_ids`."""
    from django.db.models import Q

    programs = (
        Program.objects.filter(Q(status=Program.Status.COMPLETED) | Q(pair__status=Pair.Status.COMPLETED))
        .exclude(pk__in=list(exclude_ids))
        .select_related("pair")
        .order_by("-pair__ended_on", "-pk")
    )
    return list(programs)


def mentee_categories(pair: Pair) -> list[str]:
    """The categories of the pair's mentees (categories only), in the bank's order."""
    found: set[str] = set()
    for categories in MenteeEntry.objects.filter(pair_memberships__pair=pair).values_list("categories", flat=True):
        found.update(categories or ())
    return [value for value in MenteeCategory.values if value in found]


def _activities_text(program: Program) -> str:
    lines = []
    formats = program.interaction_format_labels
    if formats:
        lines.append(f"Формы взаимодействия: {', '.join(label.lower() for label in formats)}.")
    lines.append(f"Формат встреч: {MeetingMode(program.meeting_mode).label.lower()}.")
    plan = list(program.activities.order_by("position").values_list("title", "due_on", "done_on"))
    if plan:
        lines.append("План мероприятий:")
        for number, (title, due_on, done_on) in enumerate(plan, start=1):
            mark = f"выполнено {done_on:%d.%m.%Y}" if done_on else f"срок {due_on:%d.%m.%Y}"
            lines.append(f"{number}. {title} ({mark})")
    return "\n".join(lines)


def program_prefill(program: Program) -> dict:
    """The draft content of a case written from `program` (the curator edits it before submitting)."""
    pair = program.pair
    return {
        "pair_id": pair.pk,
        "program_id": program.pk,
        "title": program.title[:300],
        "problem": "",
        "goal": program.goal,
        "form": pair.form,
        "kinds": list(pair.kinds),
        "mentee_categories": mentee_categories(pair),
        "activities": _activities_text(program),
        # Planned results: the curator rewrites them as the results actually achieved.
        "results": program.planned_results,
    }
