"""The arithmetic of a contest's results (pure functions, no database).

The rule, as the results page states it:

1. A juror's mark for a nomination is the sum of their scores over every criterion of the contest.
2. The nomination's total is the mean of the jurors' marks, rounded half up to hundredths
   (every juror scores every nomination before the results can be published).
3. Places follow the totals, highest first, by "standard competition ranking": equal totals share a
   place, and the next total takes the place after all of them (totals 90, 85, 85, 80 → places 1, 2,
   2, 4). Ranking uses the rounded totals, so what the page shows always explains the order.
4. A nomination is a prize winner when its place is within the contest's number of prize places;
   a tie on the last prize place makes every tied nomination a winner. The others stay participants
   (their total is shown, their place is empty).

Worked example (criteria with maxima 10 and 5, two jurors, two prize places):
A: juror 1 gives 8 + 4 = 12, juror 2 gives 10 + 5 = 15 → total 13.50 → place 1;
B: 9 + 4 = 13 and 9 + 5 = 14 → 13.50 → place 1 (tie);
C: 7 + 3 = 10 and 6 + 2 = 8 → 9.00 → place 3, which is beyond two prize places → participant.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class Outcome:
    total: Decimal
    rank: int
    place: int | None  # the rank when it is a prize place, else None


def mean_total(marks: Iterable[int]) -> Decimal:
    """The mean of the jurors' marks, rounded half up to hundredths."""
    marks = list(marks)
    if not marks:
        return Decimal("0.00")
    return (Decimal(sum(marks)) / Decimal(len(marks))).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def juror_marks(scores: Iterable[tuple[int, int, str, int]], criteria: Iterable[str]) -> dict[int, dict[int, int]]:
    """{nomination: {juror: sum over the criteria}} from (nomination, juror, criterion, value) rows.

    Scores on criteria that are not (or no longer) the contest's are ignored.
    """
    codes = set(criteria)
    marks: dict[int, dict[int, int]] = {}
    for nomination_id, juror_id, criterion, value in scores:
        if criterion in codes:
            by_juror = marks.setdefault(nomination_id, {})
            by_juror[juror_id] = by_juror.get(juror_id, 0) + int(value)
    return marks


def rank(totals: Mapping[int, Decimal], *, prize_places: int) -> dict[int, Outcome]:
    """Places by standard competition ranking (see the module docstring)."""
    ordered = sorted(totals.values(), reverse=True)
    outcomes = {}
    for key, total in totals.items():
        position = 1 + sum(1 for other in ordered if other > total)
        outcomes[key] = Outcome(total=total, rank=position, place=position if position <= prize_places else None)
    return outcomes


def compute(
    *,
    nomination_ids: Iterable[int],
    scores: Iterable[tuple[int, int, str, int]],
    criteria: Iterable[str],
    prize_places: int,
) -> dict[int, Outcome]:
    """Totals and places of every nomination from the raw scores."""
    marks = juror_marks(scores, criteria)
    totals = {nomination_id: mean_total(marks.get(nomination_id, {}).values()) for nomination_id in nomination_ids}
    return rank(totals, prize_places=prize_places)
