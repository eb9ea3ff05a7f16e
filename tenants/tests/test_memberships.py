"""Roles belong to levels: regional roles only in a region, the municipal coordinator only in a municipality."""

import pytest
from django.core.exceptions import ValidationError

from tenants import services
from tenants.models import Membership, Role


@pytest.mark.parametrize(
    ("role", "where"),
    [
        (Role.REGIONAL_COORDINATOR, "school_a"),
        (Role.REGIONAL_METHODOLOGIST, "municipality"),
        (Role.MUNICIPAL_COORDINATOR, "region"),
        (Role.MUNICIPAL_COORDINATOR, "school_a"),
    ],
)
def test_a_role_of_another_level_is_refused(world, role, where):
    before = Membership.objects.count()
    with pytest.raises(ValidationError, match="не назначается на уровне"):
        services.membership_grant(actor=None, user=world.outsider, organization=getattr(world, where), role=role)
    assert Membership.objects.count() == before


@pytest.mark.parametrize("where", ["region", "municipality", "school_a"])
def test_mentoring_roles_can_be_held_at_every_level(world, where):
    """A municipality or the regional centre can run mentoring for its own staff."""
    membership = services.membership_grant(
        actor=None, user=world.outsider, organization=getattr(world, where), role=Role.MENTOR
    )
    assert membership.is_active


def test_granting_twice_is_harmless_and_revoking_then_granting_reactivates(world):
    first = services.membership_grant(actor=None, user=world.outsider, organization=world.school_a, role=Role.TEACHER)
    again = services.membership_grant(actor=None, user=world.outsider, organization=world.school_a, role=Role.TEACHER)
    assert first.pk == again.pk
    services.membership_revoke(actor=None, membership=first)
    assert not Membership.objects.get(pk=first.pk).is_active
    services.membership_grant(actor=None, user=world.outsider, organization=world.school_a, role=Role.TEACHER)
    assert Membership.objects.get(pk=first.pk).is_active


def test_a_revoked_membership_no_longer_opens_the_organization(world, client_on):
    membership = Membership.objects.get(user=world.curator_a, organization=world.school_a)
    services.membership_revoke(actor=None, membership=membership)
    assert client_on(world.host(world.school_a), world.curator_a).get("/").status_code == 404


def test_an_unknown_role_is_refused(world):
    with pytest.raises(ValidationError, match="Неизвестная роль"):
        services.membership_grant(actor=None, user=world.outsider, organization=world.school_a, role="janitor")


def test_a_duplicate_e_mail_is_refused_whatever_its_case(world):
    with pytest.raises(ValidationError, match="уже зарегистрирован"):
        services.user_create(actor=None, email=world.curator_a.email.upper(), last_name="Д", first_name="Д")
