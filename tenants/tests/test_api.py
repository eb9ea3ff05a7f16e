"""The first API endpoints: current user with memberships, current organization and its children."""

from rest_framework.authtoken.models import Token

from conftest import PASSWORD


def test_me_returns_the_user_with_every_membership_and_the_roles_here(world, client_on):
    response = client_on(world.host(world.school_a), world.curator_a).get("/api/v1/me/")

    assert response.status_code == 200
    body = response.json()
    assert body["email"] == world.curator_a.email
    assert body["full_name"] == "Кураторова Мария Ивановна"
    assert body["roles_here"] == ["curator"]
    assert [(m["role"], m["organization"]["code"]) for m in body["memberships"]] == [("curator", "t-school-a")]


def test_the_region_sees_its_municipalities_and_organizations(world, client_on):
    response = client_on(world.host(world.region), world.coordinator).get("/api/v1/organization/children/")

    codes = {item["code"] for item in response.json()["results"]}
    assert {"t-mun", "t-school-a", "t-school-b"} <= codes
    assert "t-region" not in codes


def test_a_municipality_sees_its_organizations_and_a_school_sees_none(world, client_on):
    municipal = client_on(world.host(world.municipality), world.municipal).get("/api/v1/organization/children/")
    assert {item["code"] for item in municipal.json()["results"]} == {"t-school-a", "t-school-b"}

    school = client_on(world.host(world.school_a), world.curator_a).get("/api/v1/organization/children/")
    assert school.json()["results"] == []


def test_the_current_organization_carries_its_parent(world, client_on):
    body = client_on(world.host(world.school_a), world.curator_a).get("/api/v1/organization/").json()
    assert body["code"] == "t-school-a"
    assert body["level"] == "organization"
    assert body["parent"]["code"] == "t-mun"
    assert body["domain"] == "t-school-a.localhost"


def test_a_token_obtained_with_a_password_authenticates_api_calls(world, client_on):
    client = client_on(world.host(world.school_a))
    token = client.post("/api/v1/auth/token/", {"email": world.curator_a.email, "password": PASSWORD}).json()["token"]

    response = client_on(world.host(world.school_a)).get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")

    assert response.status_code == 200
    assert response.json()["email"] == world.curator_a.email


def test_a_bad_token_is_refused_and_a_wrong_password_gets_no_token(world, client_on):
    client = client_on(world.host(world.school_a))
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION="Token nonsense").status_code == 401
    response = client.post("/api/v1/auth/token/", {"email": world.curator_a.email, "password": "nope"})
    assert response.status_code == 401
    assert not Token.objects.filter(user=world.curator_a).exists()


def test_the_openapi_schema_describes_this_hosts_endpoints(world, client_on):
    client = client_on(world.host(world.school_a), world.curator_a)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    assert {"/api/v1/me/", "/api/v1/organization/", "/api/v1/organization/children/"} <= set(schema["paths"])
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs
    assert "cdn" not in docs.lower()
