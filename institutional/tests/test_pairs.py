"""Pairs and groups: drafts, approval by order with consents and the cap, lifecycle, replacement."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from institutional.dates import organization_today
from institutional.models import EndReason, MenteeEntry, MentorReplacement, Order, Pair, PairForm, PairKind
from institutional.selectors.banks import mentor_load
from institutional.services import pairs as services
from institutional.services.pairs import Replacement
from institutional.tests.pair_factories import make_draft, make_mentee, make_mentor

pytestmark = pytest.mark.django_db


def _approve(pairs, number="15-н", day=None):
    return services.pair_approve(actor=None, pairs=pairs, order_number=number, order_date=day or organization_today())


def _state():
    return (
        list(Pair.objects.order_by("pk").values_list("status", "order_id", "mentor_id")),
        Order.objects.count(),
        list(MenteeEntry.objects.order_by("pk").values_list("status", flat=True)),
    )


def test_a_draft_group_is_created_with_its_participants(in_school_a):
    pair = make_draft(make_mentor(), [make_mentee(), make_mentee()])
    assert pair.status == Pair.Status.DRAFT
    assert pair.participants.count() == 2


@pytest.mark.parametrize(("days", "ok"), [(20, False), (31, True), (365, True), (370, False)])
def test_the_period_must_fit_the_regulation(in_school_a, days, ok):
    today = organization_today()
    call = lambda: services.pair_create(  # noqa: E731
        actor=None,
        mentor=make_mentor(),
        mentees=[make_mentee()],
        form=PairForm.TEACHER_TEACHER,
        kinds=[PairKind.TRADITIONAL],
        starts_on=today,
        ends_on=today + timedelta(days=days),
    )
    if ok:
        assert call().pk
    else:
        with pytest.raises(ValidationError, match="Срок наставничества — от 1 до 12"):
            call()


def test_dates_out_of_order_are_refused(in_school_a):
    today = organization_today()
    with pytest.raises(ValidationError, match="позже начала"):
        services.pair_create(
            actor=None,
            mentor=make_mentor(),
            mentees=[make_mentee()],
            form=PairForm.TEACHER_TEACHER,
            kinds=[PairKind.TRADITIONAL],
            starts_on=today,
            ends_on=today - timedelta(days=40),
        )


def test_a_mentee_in_an_approved_pair_cannot_join_another(in_school_a):
    mentee = make_mentee()
    _approve([make_draft(make_mentor(), [mentee])])
    with pytest.raises(ValidationError, match="Уже в утверждённой"):
        make_draft(make_mentor(), [mentee])


def test_approval_by_one_order_approves_every_pair_and_marks_mentees(in_school_a):
    first, second = (
        make_draft(make_mentor(), [make_mentee()]),
        make_draft(make_mentor(), [make_mentee()], starts_in_days=5),
    )
    order = _approve([first, second])
    first.refresh_from_db(), second.refresh_from_db()
    assert order.kind == Order.Kind.PAIRS_APPROVAL and len(order.content["pairs"]) == 2
    assert (first.status, second.status) == (Pair.Status.ACTIVE, Pair.Status.APPROVED)
    assert first.order == second.order == order and first.approved_at
    assert set(MenteeEntry.objects.values_list("status", flat=True)) == {MenteeEntry.Status.IN_PAIR}
    assert mentor_load(first.mentor) == 1


def test_approval_without_a_mentee_consent_is_refused_and_nothing_changes(in_school_a):
    pair = make_draft(make_mentor(), [make_mentee(consents=False, last_name="Безсогласова")])
    before = _state()
    with pytest.raises(ValidationError, match=r"Безсогласова.*персональных данных"):
        _approve([pair])
    assert _state() == before


def test_approval_without_the_mentor_duties_consent_is_refused(in_school_a):
    pair = make_draft(make_mentor(consents=False, last_name="Несогласов"), [make_mentee()])
    before = _state()
    with pytest.raises(ValidationError, match=r"Несогласов.*обязанностей наставника"):
        _approve([pair])
    assert _state() == before


def test_approval_needs_order_number_and_a_date_not_in_the_future(in_school_a):
    pair = make_draft(make_mentor(), [make_mentee()])
    with pytest.raises(ValidationError, match="номер приказа"):
        _approve([pair], number=" ")
    with pytest.raises(ValidationError, match="в будущем"):
        _approve([pair], day=organization_today() + timedelta(days=1))
    assert Pair.objects.get().status == Pair.Status.DRAFT


def test_a_duplicate_order_number_on_the_same_date_is_refused(in_school_a):
    _approve([make_draft(make_mentor(), [make_mentee()])], number="7")
    pair = make_draft(make_mentor(), [make_mentee()])
    with pytest.raises(ValidationError, match="уже есть в реестре"):
        _approve([pair], number="7")
    pair.refresh_from_db()
    assert pair.status == Pair.Status.DRAFT


def test_a_fourth_mentee_for_a_mentor_capped_at_three_is_refused(in_school_a):
    mentor = make_mentor(capacity=3)
    _approve([make_draft(mentor, [make_mentee(), make_mentee(), make_mentee()])], number="1")
    fourth = make_draft(mentor, [make_mentee()])
    before = _state()
    with pytest.raises(ValidationError, match=r"уже 3 наставляемых.*предел — 3"):
        _approve([fourth], number="2")
    assert _state() == before


def test_the_database_trigger_refusal_becomes_a_clear_message(in_school_a, monkeypatch):
    """With the Python pre-check bypassed, the trigger still refuses and the message is translated."""
    mentor = make_mentor(capacity=1)
    _approve([make_draft(mentor, [make_mentee()])], number="1")
    second = make_draft(mentor, [make_mentee()])
    monkeypatch.setattr(services, "mentor_load", lambda entry: 0)
    before = _state()
    with pytest.raises(ValidationError, match="предел — 1"):
        services.pair_approve(actor=None, pairs=[second], order_number="2", order_date=organization_today())
    assert _state() == before


def test_activation_on_the_start_date(in_school_a):
    pair = make_draft(make_mentor(), [make_mentee()], starts_in_days=3)
    _approve([pair])
    assert services.pair_activate_due() == 0
    assert services.pair_activate_due(today=organization_today() + timedelta(days=3)) == 1
    pair.refresh_from_db()
    assert pair.status == Pair.Status.ACTIVE
    with pytest.raises(ValidationError):
        services.pair_activate(actor=None, pair=pair)


def test_completion_frees_the_mentor_and_closes_the_mentee_entry(in_school_a):
    pair = make_draft(make_mentor(), [make_mentee()])
    _approve([pair])
    pair.refresh_from_db()
    services.pair_end(actor=None, pair=pair, reason=EndReason.PLAN_COMPLETED, ended_on=organization_today())
    assert pair.status == Pair.Status.COMPLETED
    assert mentor_load(pair.mentor) == 0
    entry = MenteeEntry.objects.get()
    assert (entry.status, entry.left_reason) == (MenteeEntry.Status.LEFT, MenteeEntry.LeftReason.COMPLETED)


def test_an_early_end_needs_a_note_and_returns_the_mentee_to_waiting(in_school_a):
    pair = make_draft(make_mentor(), [make_mentee()])
    _approve([pair])
    pair.refresh_from_db()
    with pytest.raises(ValidationError, match="поясните"):
        services.pair_end(actor=None, pair=pair, reason=EndReason.MUTUAL, ended_on=organization_today())
    with pytest.raises(ValidationError, match="перечня"):
        services.pair_end(actor=None, pair=pair, reason="tired", ended_on=organization_today(), note="x")
    with pytest.raises(ValidationError, match="в будущем"):
        services.pair_end(
            actor=None, pair=pair, reason=EndReason.MUTUAL, ended_on=organization_today() + timedelta(days=1), note="x"
        )
    services.pair_end(actor=None, pair=pair, reason=EndReason.MUTUAL, ended_on=organization_today(), note="переезд")
    assert pair.status == Pair.Status.ENDED_EARLY
    assert MenteeEntry.objects.get().status == MenteeEntry.Status.WAITING


def test_a_draft_cannot_be_ended_and_an_approved_pair_cannot_be_edited_or_deleted(in_school_a):
    pair = make_draft(make_mentor(), [make_mentee()])
    with pytest.raises(ValidationError):
        services.pair_end(actor=None, pair=pair, reason=EndReason.MUTUAL, ended_on=organization_today(), note="x")
    _approve([pair])
    pair.refresh_from_db()
    with pytest.raises(ValidationError, match="только проект"):
        services.pair_delete(actor=None, pair=pair)
    with pytest.raises(ValidationError, match="только проект"):
        services.pair_update(
            actor=None,
            pair=pair,
            mentor=pair.mentor,
            mentees=[],
            form=pair.form,
            kinds=pair.kinds,
            starts_on=pair.starts_on,
            ends_on=pair.ends_on,
        )


def test_a_draft_can_be_edited_and_deleted(in_school_a):
    pair = make_draft(make_mentor(), [make_mentee()])
    other = make_mentee()
    services.pair_update(
        actor=None,
        pair=pair,
        mentor=pair.mentor,
        mentees=[other],
        form=PairForm.DIRECTOR_TEACHER,
        kinds=[PairKind.SITUATIONAL],
        starts_on=pair.starts_on,
        ends_on=pair.ends_on,
    )
    assert list(pair.participants.values_list("mentee_id", flat=True)) == [other.pk]
    services.pair_delete(actor=None, pair=pair)
    assert not Pair.objects.exists()


def _replacement(new_mentor, reason="request", number="20"):
    return Replacement(new_mentor=new_mentor, reason=reason, order_number=number, order_date=organization_today())


def test_mentor_replacement_by_order_for_a_listed_reason(in_school_a):
    pair = make_draft(make_mentor(), [make_mentee()])
    _approve([pair])
    pair.refresh_from_db()
    old, new = pair.mentor, make_mentor()
    record = services.pair_replace_mentor(actor=None, pair=pair, replacement=_replacement(new))
    pair.refresh_from_db()
    assert pair.mentor == new and record.previous_mentor == old
    assert record.order.kind == Order.Kind.MENTOR_REPLACEMENT
    assert (mentor_load(old), mentor_load(new)) == (0, 1)


def test_replacement_refused_without_a_listed_reason_or_beyond_capacity(in_school_a):
    pair = make_draft(make_mentor(), [make_mentee()])
    _approve([pair], number="1")
    pair.refresh_from_db()
    before = (_state(), MentorReplacement.objects.count())
    with pytest.raises(ValidationError, match="только по основаниям"):
        services.pair_replace_mentor(actor=None, pair=pair, replacement=_replacement(make_mentor(), reason="mood"))
    full = make_mentor(capacity=1)
    _approve([make_draft(full, [make_mentee()])], number="2")
    before = (_state(), MentorReplacement.objects.count())
    with pytest.raises(ValidationError, match="предел — 1"):
        services.pair_replace_mentor(actor=None, pair=pair, replacement=_replacement(full))
    with pytest.raises(ValidationError, match="отличаться"):
        services.pair_replace_mentor(actor=None, pair=pair, replacement=_replacement(pair.mentor))
    assert (_state(), MentorReplacement.objects.count()) == before
