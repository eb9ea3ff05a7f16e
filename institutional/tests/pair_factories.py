"""Test helpers of the pairs area: a mentor and mentees with every consent signed (tenant schema)."""

from __future__ import annotations

from datetime import timedelta

from institutional.dates import organization_today
from institutional.models import ConsentKind, MenteeCategory, PairForm, PairKind
from institutional.services import banks as bank_services
from institutional.services import pairs as services
from institutional.tests.test_banks_factories import make_staff, signed_consent

_counter = iter(range(1, 10**6))


def make_mentor(*, capacity=3, consents=True, last_name=None):
    staff = make_staff(last_name or f"Наставникова{next(_counter)}", hired_days_ago=5000)
    if consents:
        signed_consent(kind=ConsentKind.PERSONAL_DATA, staff=staff)
        signed_consent(kind=ConsentKind.MENTORING_DUTIES, staff=staff)
    return bank_services.mentor_entry_create(
        actor=None, staff=staff, competencies="методика преподавания математики", capacity=capacity
    )


def make_mentee(*, consents=True, last_name=None):
    staff = make_staff(last_name or f"Молодых{next(_counter)}", hired_days_ago=30)
    if consents:
        signed_consent(kind=ConsentKind.PERSONAL_DATA, staff=staff)
    return bank_services.mentee_entry_create(actor=None, staff=staff, categories=[MenteeCategory.YOUNG])


def make_draft(mentor, mentees, *, starts_in_days=0, months=6):
    starts_on = organization_today() + timedelta(days=starts_in_days)
    return services.pair_create(
        actor=None,
        mentor=mentor,
        mentees=list(mentees),
        form=PairForm.TEACHER_TEACHER,
        kinds=[PairKind.TRADITIONAL],
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=30 * months),
    )
