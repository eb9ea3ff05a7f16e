"""The permission matrix every institutional page and endpoint is checked against.

    check_matrix(world, client_on, method, path, allowed=("curator", "director"), data=..., state=...)

asserts, on school A's host:
  - anonymous visitor: the login page (401 for /api/);
  - a signed-in member of another organization (school B's teacher): 404;
  - each school A member whose role is not in `allowed`: 403 (pages) or 404 (API and objects);
  - each role in `allowed`: a success (2xx or a redirect that is not the login page);
and, when `state` is given (a callable returning a comparable snapshot, e.g. row counts), that
nothing changed after every refused request.
"""

from __future__ import annotations

from django.db import connection

ROLE_USERS = {
    "curator": "curator_a",
    "director": "director_a",
    "council_member": "council_a",
    "teacher": "teacher_a",
    "psychologist": "psychologist_a",
}


def _snapshot(state, world):
    if state is None:
        return None
    connection.set_tenant(world.school_a)
    try:
        return state()
    finally:
        connection.set_schema_to_public()


def _send(client, method, path, data, content_type):
    for value in (data or {}).values() if isinstance(data, dict) else ():
        if hasattr(value, "seek"):
            value.seek(0)  # the same upload is sent once per role
    if method == "get":
        return client.get(path, data or {})
    if content_type:
        return getattr(client, method)(path, data or {}, content_type=content_type)
    return getattr(client, method)(path, data or {})


def check_matrix(world, client_on, method, path, *, allowed, data=None, state=None, content_type=None, roles=None):
    host = world.host(world.school_a)
    is_api = path.startswith("/api/")
    before = _snapshot(state, world)

    anonymous = _send(client_on(host), method, path, data, content_type)
    if is_api:
        assert anonymous.status_code == 401, f"anonymous {method} {path}: {anonymous.status_code}"
    else:
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"], (
            f"anonymous {method} {path}: {anonymous.status_code}"
        )
    assert _snapshot(state, world) == before

    foreign = _send(client_on(host, world.teacher_b), method, path, data, content_type)
    assert foreign.status_code == 404, f"other organization {method} {path}: {foreign.status_code}"
    assert _snapshot(state, world) == before

    for role, attribute in ROLE_USERS.items():
        if roles is not None and role not in roles:
            continue
        if role in allowed:
            continue
        response = _send(client_on(host, getattr(world, attribute)), method, path, data, content_type)
        assert response.status_code in (403, 404), f"{role} {method} {path}: {response.status_code}"
        assert _snapshot(state, world) == before, f"{role} {method} {path} changed data"

    for role in allowed:
        response = _send(client_on(host, getattr(world, ROLE_USERS[role])), method, path, data, content_type)
        assert response.status_code < 400, f"{role} {method} {path}: {response.status_code}"
        if response.status_code in (301, 302):
            assert "/accounts/login/" not in response["Location"]
