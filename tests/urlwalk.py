"""Enumerate every route of a URLconf with a concrete path that resolves to it."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

SAMPLE_BY_CONVERTER = {
    "IntConverter": "1",
    "StringConverter": "sample",
    "SlugConverter": "sample-slug",
    "UUIDConverter": str(uuid.UUID(int=1)),
    "PathConverter": "sample/path",
}


@dataclass(frozen=True)
class Route:
    path: str
    name: str
    callback: object


def _concrete_route(pattern: RoutePattern) -> str:
    text = str(pattern)
    for name, converter in pattern.converters.items():
        sample = SAMPLE_BY_CONVERTER.get(type(converter).__name__, "1")
        text = re.sub(rf"<(?:\w+:)?{name}>", sample, text)
    return text


def _concrete_regex(pattern: RegexPattern) -> str:
    text = pattern.regex.pattern.lstrip("^").rstrip("$").replace("\\Z", "")
    text = re.sub(r"\(\?P<\w+>[^)]*\)", "1", text)  # named groups
    text = re.sub(r"\([^)]*\)", "1", text)  # other groups
    return text.replace("\\", "").replace("?", "")


def _concrete(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return _concrete_route(pattern)
    return _concrete_regex(pattern)


def iter_routes(urlconf: str):
    def walk(patterns, prefix):
        for entry in patterns:
            part = _concrete(entry.pattern)
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + part)
            elif isinstance(entry, URLPattern):
                yield Route("/" + prefix + part, entry.name or "", entry.callback)

    yield from walk(get_resolver(urlconf).url_patterns, "")
