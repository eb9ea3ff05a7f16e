"""Bad input never reaches a server error: every organization route, sent empty and garbage data
by the people who may use it, answers with a page, a redirect or a 4xx — never a 500."""

import pytest
from django.conf import settings

from tests.urlwalk import iter_routes

GARBAGE = {
    "page": "abc",
    "status": "no-such-status",
    "kind": "no-such-kind",
    "year": "двадцать",
    "month": "13",
    "date": "31.02.2026",
    "order_date": "вчера",
    "order_number": "",
    "starts_on": "not-a-date",
    "ends_on": "2026-02-30",
    "capacity": "-1",
    "mentees": ["x", "999999"],
    "pairs": ["x"],
    "mentor": "x",
    "staff": "x",
    "ids": "1,x",
    "q": "' OR 1=1 --",
}

ROUTES = [
    pytest.param(route, id=route.path)
    for route in iter_routes(settings.TENANT_URLCONFS["organization"])
    if not route.path.startswith(settings.TENANT_OPEN_PATH_PREFIXES) or route.path.startswith("/nastavnichestvo/")
]


@pytest.mark.parametrize("route", ROUTES)
def test_garbage_never_causes_a_server_error(world, client_on, route):
    host = world.host(world.school_a)
    for user in (world.curator_a, world.director_a, world.teacher_a):
        client = client_on(host, user)
        client.raise_request_exception = True
        for response in (
            client.get(route.path, GARBAGE),
            client.post(route.path, {}),
            client.post(route.path, GARBAGE),
        ):
            assert response.status_code < 500, (user.email, route.path, response.status_code)
