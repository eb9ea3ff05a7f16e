"""Template helpers for the organization's section navigation."""

from django import template

register = template.Library()


@register.filter
def is_under(path: str, prefix: str) -> bool:
    """True when `path` is the page `prefix` or one below it."""
    return bool(prefix) and path.startswith(prefix)
