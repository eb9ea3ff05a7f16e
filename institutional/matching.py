"""Pure matching algorithms: no database, no Django. Used by the matching selectors and services.

Two parts:

- `score_mentors` ranks mentors for one mentee and explains every point of the score in Russian, so
  the curator can read why a mentor is suggested (matched words and tags, subjects, experience gap,
  free capacity, consents present);
- `stable_assignment` is mentee-proposing deferred acceptance (Gale–Shapley, hospitals/residents
  variant) with mentor capacities: only mutually acceptable pairs (each ranked the other) are
  matched, no mentor gets more mentees than free places, and no blocking pair remains.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from decimal import Decimal

# --- scoring --------------------------------------------------------------------------------------

# Points per kind of evidence. Kept here so the breakdown and the ranking agree.
POINTS_PER_WORD = 10
POINTS_PER_TAG = 15
POINTS_PER_SUBJECT = 20
POINTS_PER_EXPERIENCE_YEAR = 2
EXPERIENCE_YEARS_COUNTED = 10  # a wider gap adds nothing more
POINTS_FREE_CAPACITY = 5
POINTS_PER_CONSENT = 5

# Words that carry no meaning for matching (short function words are dropped by length anyway).
STOP_WORDS = frozenset(
    [
        "для",
        "как",
        "что",
        "это",
        "при",
        "или",
        "над",
        "под",
        "без",
        "про",
        "его",
        "она",
        "они",
        "мне",
        "меня",
        "нас",
        "вас",
        "все",
        "всё",
        "так",
        "уже",
        "ещё",
        "еще",
        "очень",
        "нужно",
        "нужна",
        "нужен",
        "хочу",
        "хочется",
        "могу",
        "можно",
        "быть",
        "есть",
        "работа",
        "работе",
        "работы",
        "работу",
        "умею",
        "умеет",
        "также",
        "который",
        "которая",
        "которые",
        "себя",
        "свой",
        "своих",
        "своей",
        "своего",
    ]
)

# Common Russian inflectional endings, longest first: a crude stemmer, enough for «математика» and
# «математике», «урок» and «уроков», «родителями» and «родителей».
ENDINGS = tuple(
    sorted(
        [
            "ами",
            "ями",
            "ого",
            "его",
            "ому",
            "ему",
            "ыми",
            "ими",
            "ой",
            "ей",
            "ий",
            "ый",
            "ая",
            "яя",
            "ое",
            "ее",
            "ую",
            "юю",
            "ых",
            "их",
            "ам",
            "ям",
            "ах",
            "ях",
            "ов",
            "ев",
            "ом",
            "ем",
            "ию",
            "ия",
            "ие",
            "ью",
            "ья",
            "ы",
            "и",
            "а",
            "я",
            "о",
            "е",
            "у",
            "ю",
            "ь",
            "ость",
            "ости",
            "ость",
            "ние",
            "ния",
            "нию",
            "нием",
            "ниям",
            "ниях",
            "ться",
            "ется",
            "ются",
            "ать",
            "ять",
            "ить",
            "еть",
            "уть",
            "ует",
            "уют",
            "ает",
            "яет",
            "ают",
            "яют",
        ],
        key=len,
        reverse=True,
    )
)
MIN_STEM = 4
_WORD = re.compile(r"[0-9a-zа-я]+")


def normalize(text: str) -> str:
    return text.lower().replace("ё", "е")


def stem(word: str) -> str:
    """The word without one common ending, never shorter than MIN_STEM letters."""
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)]
    return word


def words(text: str) -> dict[str, str]:
    """Meaningful words of a text: stem → the first form it appeared in (for the breakdown)."""
    found: dict[str, str] = {}
    for word in _WORD.findall(normalize(text)):
        if len(word) < 3 or word in STOP_WORDS or word.isdigit():
            continue
        found.setdefault(stem(word), word)
    return found


def phrase_key(text: str) -> str:
    """A tag or subject reduced to comparable form: stems of its words, in order."""
    return " ".join(stem(word) for word in _WORD.findall(normalize(text)))


@dataclass(frozen=True)
class MenteeProfile:
    id: int
    staff_id: int | None
    requests: str = ""
    difficulties: str = ""
    tags: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()
    experience_years: Decimal | float = 0
    has_personal_data_consent: bool = False


@dataclass(frozen=True)
class MentorProfile:
    id: int
    staff_id: int | None
    name: str = ""
    competencies: str = ""
    subjects: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    experience_years: Decimal | float = 0
    capacity: int = 1
    load: int = 0
    has_personal_data_consent: bool = False
    has_mentoring_duties_consent: bool = False

    @property
    def free_places(self) -> int:
        return max(self.capacity - self.load, 0)


@dataclass(frozen=True)
class WordMatch:
    """One meaning the mentee and the mentor share: the words as each side wrote them."""

    mentee_word: str
    mentee_source: str  # «запрос», «затруднение», «метка»
    mentor_word: str
    mentor_source: str  # «компетенции», «предметы», «метки»


@dataclass
class Suggestion:
    mentor: MentorProfile
    score: int = 0
    word_matches: list[WordMatch] = field(default_factory=list)
    tag_matches: list[str] = field(default_factory=list)
    common_subjects: list[str] = field(default_factory=list)
    experience_gap: float = 0.0
    word_points: int = 0
    tag_points: int = 0
    subject_points: int = 0
    experience_points: int = 0
    capacity_points: int = 0
    consent_points: int = 0
    missing_consents: list[str] = field(default_factory=list)

    @property
    def has_free_place(self) -> bool:
        return self.mentor.free_places > 0

    def lines(self) -> list[str]:
        """The breakdown in Russian, one line per component, with its points."""
        result = []
        for match in self.word_matches:
            result.append(
                f"«{match.mentee_word}» ({match.mentee_source}) — «{match.mentor_word}» ({match.mentor_source})"
            )
        if self.word_points:
            result.append(f"совпадения запросов и компетенций: +{self.word_points}")
        if self.tag_matches:
            result.append(f"общие метки: {', '.join(self.tag_matches)}: +{self.tag_points}")
        if self.common_subjects:
            result.append(f"общие предметы: {', '.join(self.common_subjects)}: +{self.subject_points}")
        gap = _years(self.experience_gap)
        if self.experience_gap > 0:
            result.append(f"наставник опытнее на {gap}: +{self.experience_points}")
        else:
            result.append(f"педагогический стаж наставника не больше стажа наставляемого ({gap}): +0")
        free = self.mentor.free_places
        if free:
            result.append(f"свободных мест: {free} из {self.mentor.capacity}: +{self.capacity_points}")
        else:
            result.append(f"нет свободных мест (занято {self.mentor.load} из {self.mentor.capacity})")
        if self.consent_points:
            result.append(f"согласия оформлены: +{self.consent_points}")
        for missing in self.missing_consents:
            result.append(f"нет согласия: {missing}")
        return result

    def as_dict(self) -> dict:
        return {
            "mentor_id": self.mentor.id,
            "mentor_name": self.mentor.name,
            "score": self.score,
            "has_free_place": self.has_free_place,
            "free_places": self.mentor.free_places,
            "capacity": self.mentor.capacity,
            "word_matches": [match.__dict__ for match in self.word_matches],
            "tag_matches": self.tag_matches,
            "common_subjects": self.common_subjects,
            "experience_gap_years": self.experience_gap,
            "points": {
                "words": self.word_points,
                "tags": self.tag_points,
                "subjects": self.subject_points,
                "experience": self.experience_points,
                "capacity": self.capacity_points,
                "consents": self.consent_points,
            },
            "missing_consents": self.missing_consents,
            "breakdown": self.lines(),
        }


def _years(value: float) -> str:
    value = abs(round(value, 1))
    text = f"{value:g}".replace(".", ",")
    whole = int(value)
    if value != whole:
        return f"{text} года"
    if whole % 10 == 1 and whole % 100 != 11:
        return f"{text} год"
    if whole % 10 in (2, 3, 4) and whole % 100 not in (12, 13, 14):
        return f"{text} года"
    return f"{text} лет"


@dataclass(frozen=True)
class _MentorTerms:
    """A mentor's words prepared once, reused for every mentee."""

    words: dict[str, tuple[str, str]]  # stem → (word, source)
    tags: dict[str, str]  # phrase key → tag as written
    subjects: dict[str, str]


def _mentor_terms(mentor: MentorProfile) -> _MentorTerms:
    found: dict[str, tuple[str, str]] = {}
    for source, text in (
        ("компетенции", mentor.competencies),
        ("предметы", " ".join(mentor.subjects)),
        ("метки", " ".join(mentor.tags)),
    ):
        for key, word in words(text).items():
            found.setdefault(key, (word, source))
    return _MentorTerms(
        words=found,
        tags={phrase_key(tag): tag for tag in mentor.tags if phrase_key(tag)},
        subjects={phrase_key(subject): subject for subject in mentor.subjects if phrase_key(subject)},
    )


class Scorer:
    """Scores many mentees against the same mentors; mentors' words are prepared once."""

    def __init__(self, mentors: list[MentorProfile]):
        self.mentors = [(mentor, _mentor_terms(mentor)) for mentor in mentors]

    def rank(self, mentee: MenteeProfile) -> list[Suggestion]:
        mentee_words: dict[str, tuple[str, str]] = {}
        for source, text in (
            ("запрос", mentee.requests),
            ("затруднение", mentee.difficulties),
            ("метка", " ".join(mentee.tags)),
        ):
            for key, word in words(text).items():
                mentee_words.setdefault(key, (word, source))
        mentee_tags = {phrase_key(tag): tag for tag in mentee.tags if phrase_key(tag)}
        mentee_subjects = {phrase_key(subject) for subject in mentee.subjects if phrase_key(subject)}
        suggestions = []
        for mentor, terms in self.mentors:
            if mentee.staff_id is not None and mentor.staff_id == mentee.staff_id:
                continue  # nobody mentors themselves
            suggestion = Suggestion(mentor=mentor)
            for key in sorted(mentee_words.keys() & terms.words.keys()):
                mentee_word, mentee_source = mentee_words[key]
                mentor_word, mentor_source = terms.words[key]
                suggestion.word_matches.append(WordMatch(mentee_word, mentee_source, mentor_word, mentor_source))
            suggestion.word_points = POINTS_PER_WORD * len(suggestion.word_matches)
            suggestion.tag_matches = [mentee_tags[key] for key in sorted(mentee_tags.keys() & terms.tags.keys())]
            suggestion.tag_points = POINTS_PER_TAG * len(suggestion.tag_matches)
            suggestion.common_subjects = [
                terms.subjects[key] for key in sorted(mentee_subjects & terms.subjects.keys())
            ]
            suggestion.subject_points = POINTS_PER_SUBJECT * len(suggestion.common_subjects)
            gap = float(mentor.experience_years) - float(mentee.experience_years)
            suggestion.experience_gap = round(gap, 1)
            suggestion.experience_points = round(
                POINTS_PER_EXPERIENCE_YEAR * min(max(gap, 0.0), EXPERIENCE_YEARS_COUNTED)
            )
            suggestion.capacity_points = POINTS_FREE_CAPACITY if mentor.free_places else 0
            consents = {
                "наставника на обработку персональных данных": mentor.has_personal_data_consent,
                "наставника на выполнение обязанностей наставника": mentor.has_mentoring_duties_consent,
                "наставляемого на обработку персональных данных": mentee.has_personal_data_consent,
            }
            suggestion.consent_points = POINTS_PER_CONSENT * sum(consents.values())
            suggestion.missing_consents = [name for name, present in consents.items() if not present]
            suggestion.score = (
                suggestion.word_points
                + suggestion.tag_points
                + suggestion.subject_points
                + suggestion.experience_points
                + suggestion.capacity_points
                + suggestion.consent_points
            )
            suggestions.append(suggestion)
        # A mentor with no free place is listed, but never above one who has a place.
        suggestions.sort(key=lambda s: (not s.has_free_place, -s.score, s.mentor.name, s.mentor.id))
        return suggestions


def score_mentors(mentee: MenteeProfile, mentors: list[MentorProfile]) -> list[Suggestion]:
    return Scorer(mentors).rank(mentee)


# --- stable assignment ----------------------------------------------------------------------------


def acceptable(mentee_prefs: dict, mentor_prefs: dict, mentee, mentor) -> bool:
    """Both ranked each other."""
    return mentor in mentee_prefs.get(mentee, ()) and mentee in mentor_prefs.get(mentor, ())


def stable_assignment(mentee_prefs: dict, mentor_prefs: dict, capacity: dict) -> dict:
    """Mentee-proposing deferred acceptance with capacities: {mentee: mentor} for matched mentees.

    `mentee_prefs[m]` / `mentor_prefs[r]` are ranked lists, best first (partial lists allowed;
    anyone not listed is unacceptable). `capacity[r]` is the number of free places. The result is
    stable and mentee-optimal: every mentee gets the best mentor they can have in any stable
    matching. O(total length of the lists).
    """
    rank = {mentor: {mentee: i for i, mentee in enumerate(prefs)} for mentor, prefs in mentor_prefs.items()}
    # Drop proposals that cannot be accepted up front: the mentor did not rank the mentee, or has no places.
    lists = {
        mentee: [r for r in prefs if capacity.get(r, 0) > 0 and mentee in rank.get(r, {})]
        for mentee, prefs in mentee_prefs.items()
    }
    next_choice = dict.fromkeys(lists, 0)
    held: dict = {mentor: [] for mentor in rank}  # held proposals as (rank, mentee); kept sorted
    free = deque(mentee for mentee in mentee_prefs if lists[mentee])
    while free:
        mentee = free.popleft()
        choices = lists[mentee]
        if next_choice[mentee] >= len(choices):
            continue
        mentor = choices[next_choice[mentee]]
        next_choice[mentee] += 1
        holding = held[mentor]
        entry = (rank[mentor][mentee], mentee)
        if len(holding) < capacity[mentor]:
            _insort(holding, entry)
        elif entry[0] < holding[-1][0]:
            rejected = holding.pop()[1]
            _insort(holding, entry)
            if next_choice[rejected] < len(lists[rejected]):
                free.append(rejected)
        elif next_choice[mentee] < len(choices):
            free.append(mentee)
    return {mentee: mentor for mentor, holding in held.items() for _, mentee in holding}


def _insort(items: list, entry) -> None:
    position = len(items)
    while position and items[position - 1][0] > entry[0]:
        position -= 1
    items.insert(position, entry)


def blocking_pairs(assignment: dict, mentee_prefs: dict, mentor_prefs: dict, capacity: dict) -> list[tuple]:
    """Pairs (mentee, mentor) that would both rather be together than keep the assignment."""
    assigned: dict = {}
    for mentee, mentor in assignment.items():
        assigned.setdefault(mentor, []).append(mentee)
    mentor_rank = {mentor: {m: i for i, m in enumerate(prefs)} for mentor, prefs in mentor_prefs.items()}
    result = []
    for mentee, prefs in mentee_prefs.items():
        current = assignment.get(mentee)
        for mentor in prefs:
            if mentor == current:
                break  # the rest are worse than what the mentee has
            ranks = mentor_rank.get(mentor, {})
            if mentee not in ranks or capacity.get(mentor, 0) <= 0:
                continue
            holding = assigned.get(mentor, [])
            if len(holding) < capacity[mentor] or any(ranks[mentee] < ranks[other] for other in holding):
                result.append((mentee, mentor))
    return result


def assignment_problems(assignment: dict, mentee_prefs: dict, mentor_prefs: dict, capacity: dict) -> list[tuple]:
    """Hard problems of an assignment: ('capacity', mentor) over free places, ('unacceptable', mentee, mentor)."""
    problems = []
    counts: dict = {}
    for mentee, mentor in assignment.items():
        counts[mentor] = counts.get(mentor, 0) + 1
        if not acceptable(mentee_prefs, mentor_prefs, mentee, mentor):
            problems.append(("unacceptable", mentee, mentor))
    for mentor, count in counts.items():
        if count > capacity.get(mentor, 0):
            problems.append(("capacity", mentor))
    return problems


def naive_stable_assignment(
    mentee_prefs: dict, mentor_prefs: dict, capacity: dict, *, seed: int = 0, max_steps: int = 1_000_000
) -> tuple[dict, int]:
    """The benchmark's baseline: start empty, repeatedly satisfy a random blocking pair.

    Random order converges to a stable matching with probability one (Roth & Vande Vate, 1990) but
    every step rescans all blocking pairs. Returns (assignment, steps).
    """
    import random

    chooser = random.Random(seed)  # noqa: S311 -- a reproducible order, not a secret
    rank = {mentor: {m: i for i, m in enumerate(prefs)} for mentor, prefs in mentor_prefs.items()}
    assignment: dict = {}
    for step in range(max_steps):
        pairs = blocking_pairs(assignment, mentee_prefs, mentor_prefs, capacity)
        if not pairs:
            return assignment, step
        mentee, mentor = chooser.choice(pairs)
        holding = [m for m, r in assignment.items() if r == mentor]
        if len(holding) >= capacity[mentor]:
            worst = max(holding, key=lambda m: rank[mentor][m])
            del assignment[worst]
        assignment[mentee] = mentor
    raise RuntimeError("no stable matching reached")
