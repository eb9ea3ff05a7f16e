"""The pure matching algorithms (institutional.matching): scoring breakdown and the stable assignment."""

from __future__ import annotations

import itertools
import random

import pytest

from institutional.matching import (
    MenteeProfile,
    MentorProfile,
    assignment_problems,
    blocking_pairs,
    naive_stable_assignment,
    score_mentors,
    stable_assignment,
    stem,
    words,
)

# --- scoring --------------------------------------------------------------------------------------


def test_crude_stemming_matches_inflected_forms():
    assert stem("математика") == stem("математике") == stem("математики")
    assert stem("родителями") == stem("родителей")
    assert set(words("Ёлка, ЁЖИК!")) == set(words("елка ежик"))


def test_breakdown_names_the_matched_words_tags_and_subjects():
    # given a mentee asking about mathematics and discipline, and a mentor strong in mathematics
    mentee = MenteeProfile(
        id=1,
        staff_id=10,
        requests="Подготовка к ОГЭ по математике",
        difficulties="Дисциплина на уроках",
        tags=("ОГЭ",),
        subjects=("Математика",),
        experience_years=1,
        has_personal_data_consent=True,
    )
    strong = MentorProfile(
        id=2,
        staff_id=20,
        name="Иванова",
        competencies="Методика преподавания: математика, подготовка к экзаменам",
        subjects=("Математика", "Алгебра"),
        tags=("огэ",),
        experience_years=21,
        capacity=2,
        has_personal_data_consent=True,
        has_mentoring_duties_consent=True,
    )
    weak = MentorProfile(
        id=3,
        staff_id=30,
        name="Петров",
        competencies="Хореография",
        subjects=("Музыка",),
        experience_years=1,
        capacity=1,
    )
    # when
    first, second = score_mentors(mentee, [weak, strong])
    # then the strong mentor leads and the breakdown explains it
    assert first.mentor.id == 2
    matched = {(m.mentee_word, m.mentor_word) for m in first.word_matches}
    assert ("математике", "математика") in matched
    assert ("подготовка", "подготовка") in matched
    assert first.tag_matches == ["ОГЭ"]
    assert first.common_subjects == ["Математика"]
    assert first.experience_gap == 20
    assert first.experience_points == 20  # capped at 10 years × 2
    assert first.missing_consents == []
    lines = "\n".join(first.lines())
    assert "«математике» (запрос) — «математика» (компетенции)" in lines
    assert "общие предметы: Математика" in lines
    assert "наставник опытнее на 20 лет" in lines
    assert first.score == (
        first.word_points + first.tag_points + first.subject_points + 20 + first.capacity_points + 15
    )
    # and the weak mentor's breakdown shows the missing consents and no experience advantage
    assert second.word_matches == [] and second.experience_points == 0
    assert len(second.missing_consents) == 2
    assert "не больше стажа" in "\n".join(second.lines())


def test_full_mentor_is_listed_but_never_first():
    mentee = MenteeProfile(id=1, staff_id=1, requests="математика", subjects=("Математика",))
    full = MentorProfile(
        id=2, staff_id=2, name="А", competencies="математика", subjects=("Математика",), capacity=1, load=1
    )
    empty = MentorProfile(id=3, staff_id=3, name="Б", competencies="рисование", capacity=1)
    ranked = score_mentors(mentee, [full, empty])
    assert [s.mentor.id for s in ranked] == [3, 2]
    assert ranked[1].score > ranked[0].score
    assert "нет свободных мест" in "\n".join(ranked[1].lines())


def test_nobody_is_suggested_as_their_own_mentor():
    mentee = MenteeProfile(id=1, staff_id=7)
    assert score_mentors(mentee, [MentorProfile(id=2, staff_id=7)]) == []


# --- stable assignment ----------------------------------------------------------------------------


def random_instance(rng: random.Random):
    mentees = list(range(rng.randint(1, 5)))
    mentors = [f"r{i}" for i in range(rng.randint(1, 4))]
    mentee_prefs = {m: rng.sample(mentors, rng.randint(0, len(mentors))) for m in mentees}
    mentor_prefs = {r: rng.sample(mentees, rng.randint(0, len(mentees))) for r in mentors}
    capacity = {r: rng.randint(1, 2) for r in mentors}
    return mentee_prefs, mentor_prefs, capacity


def brute_force_stable(mentee_prefs, mentor_prefs, capacity):
    """Every stable matching, by trying every assignment of each mentee to nobody or a mentor."""
    mentees = list(mentee_prefs)
    options = [[None, *mentee_prefs[m]] for m in mentees]
    stable = []
    for choice in itertools.product(*options):
        assignment = {m: r for m, r in zip(mentees, choice, strict=True) if r is not None}
        if assignment_problems(assignment, mentee_prefs, mentor_prefs, capacity):
            continue
        if not blocking_pairs(assignment, mentee_prefs, mentor_prefs, capacity):
            stable.append(assignment)
    return stable


def position(prefs, mentor):
    return prefs.index(mentor) if mentor is not None else len(prefs)


def test_stable_assignment_agrees_with_brute_force_on_random_instances():
    rng = random.Random(20240901)
    for _ in range(300):
        mentee_prefs, mentor_prefs, capacity = random_instance(rng)
        result = stable_assignment(mentee_prefs, mentor_prefs, capacity)
        # no mentor over capacity, only mutually acceptable pairs, no blocking pair
        assert assignment_problems(result, mentee_prefs, mentor_prefs, capacity) == []
        assert blocking_pairs(result, mentee_prefs, mentor_prefs, capacity) == []
        stable = brute_force_stable(mentee_prefs, mentor_prefs, capacity)
        assert result in stable
        # mentee-optimal: every mentee does at least as well as in any stable matching
        for other in stable:
            for mentee, prefs in mentee_prefs.items():
                assert position(prefs, result.get(mentee)) <= position(prefs, other.get(mentee))


def test_mentor_capacity_counts_only_free_places():
    mentee_prefs = {"a": ["r"], "b": ["r"], "c": ["r"]}
    mentor_prefs = {"r": ["c", "b", "a"]}
    assert stable_assignment(mentee_prefs, mentor_prefs, {"r": 2}) == {"c": "r", "b": "r"}
    assert stable_assignment(mentee_prefs, mentor_prefs, {"r": 0}) == {}


def test_one_sided_preference_is_not_matched():
    assert stable_assignment({"a": ["r"]}, {"r": []}, {"r": 3}) == {}
    assert stable_assignment({"a": []}, {"r": ["a"]}, {"r": 3}) == {}


@pytest.mark.parametrize("seed", range(20))
def test_naive_baseline_also_reaches_a_stable_matching(seed):
    mentee_prefs, mentor_prefs, capacity = random_instance(random.Random(seed))
    result, _ = naive_stable_assignment(mentee_prefs, mentor_prefs, capacity, seed=seed)
    assert assignment_problems(result, mentee_prefs, mentor_prefs, capacity) == []
    assert blocking_pairs(result, mentee_prefs, mentor_prefs, capacity) == []
