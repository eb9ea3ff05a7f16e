"""The feed «what is new from above» of an organization (public schema tables only; any tenant host).

For an educational organization: the cases published in its region's bank of practices, the model
documents published by the project, its region and its municipality, the events of its region and
municipality, and the contests of its region (announced; results published) — newest first.
A municipality sees what its region publishes and its own; a region what it publishes itself.

Each source is one query ordered by its own date; a page of the feed takes the newest `n` rows of
every source and merges them, so the home page's block of five costs one query per source and a
page of the paginated feed one query per source plus one count per source.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Coalesce, Greatest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from regional.models import Contest, DocumentTemplate, Event, PracticeCase
from tenants.models import Level, Organization

HOME_ITEMS = 5


@dataclass(frozen=True)
class FeedItem:
    kind: str  # case, template, event, contest, contest_results
    label: str
    at: datetime
    title: str
    detail: str
    url: str


def _link(namespace: str, pk: int) -> str:
    """The object's page in its area when the area has one, else the area's list (or nothing).

    Outside a request (no tenant URLconf set) the paths of a tenant host are used: every level's
    host has the same areas."""
    for urlconf in (None, settings.TENANT_URLCONFS["organization"]):
        for name, args in ((f"{namespace}:detail", [pk]), (f"{namespace}:list", [])):
            try:
                return reverse(name, args=args, urlconf=urlconf)
            except NoReverseMatch:
                continue
    return ""


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M")


# --- sources -------------------------------------------------------------------------------------------


class Source:
    """One kind of news: a queryset ordered newest first, and how its rows become feed items."""

    def rows(self):
        raise NotImplementedError

    def items(self, row) -> list[FeedItem]:
        raise NotImplementedError

    def count(self) -> int:
        return self.rows().count()

    def newest(self, limit: int) -> list[FeedItem]:
        found: list[FeedItem] = []
        for row in self.rows()[:limit]:
            found.extend(self.items(row))
        return found


class CaseSource(Source):
    def __init__(self, region_id: int):
        self.region_id = region_id

    def rows(self):
        return (
            PracticeCase.objects.filter(
                region_id=self.region_id, status=PracticeCase.Status.PUBLISHED, published_at__isnull=False
            )
            .select_related("organization")
            .only("id", "title", "published_at", "organization__short_name")
            .order_by("-published_at", "-pk")
        )

    def items(self, case) -> list[FeedItem]:
        return [
            FeedItem(
                "case",
                "Лучшая практика",
                case.published_at,
                f"Опубликован кейс «{case.title}»",
                case.organization.short_name,
                _link("practices", case.pk),
            )
        ]


class TemplateSource(Source):
    def __init__(self, publisher_ids: list[int]):
        self.publisher_ids = publisher_ids

    def rows(self):
        return (
            DocumentTemplate.objects.filter(is_published=True)
            .filter(Q(publisher__isnull=True) | Q(publisher_id__in=self.publisher_ids))
            .select_related("publisher")
            .only("id", "kind", "title", "version", "published_at", "publisher__short_name")
            .order_by("-published_at", "-pk")
        )

    def items(self, template) -> list[FeedItem]:
        publisher = template.publisher.short_name if template.publisher_id else "Модель по умолчанию"
        return [
            FeedItem(
                "template",
                "Модельный документ",
                template.published_at,
                f"{template.title} (версия {template.version})",
                f"{template.get_kind_display()} · {publisher}",
                _link("templates", template.pk),
            )
        ]


class EventSource(Source):
    def __init__(self, publisher_ids: list[int]):
        self.publisher_ids = publisher_ids

    def rows(self):
        return (
            Event.objects.filter(publisher_id__in=self.publisher_ids)
            .select_related("publisher")
            .order_by("-created_at", "-pk")
        )

    def items(self, event) -> list[FeedItem]:
        detail = f"{event.get_kind_display()}, {_local(event.starts_at)} · {event.get_format_display()} · "
        detail += event.publisher.short_name
        if event.is_cancelled:
            detail += " · отменено"
        return [FeedItem("event", "Мероприятие", event.created_at, event.title, detail, _link("events", event.pk))]


class ContestSource(Source):
    """Contests out of preparation («announced», at their creation: the model keeps no opening time)
    and, once published, their results; a contest may give both items."""

    def __init__(self, region_id: int):
        self.region_id = region_id

    def rows(self):
        return (
            Contest.objects.filter(region_id=self.region_id)
            .exclude(status=Contest.Status.DRAFT)
            .annotate(feed_at=Greatest("created_at", Coalesce("results_published_at", "created_at")))
            .order_by("-feed_at", "-pk")
        )

    def count(self) -> int:
        rows = self.rows()
        return rows.count() + rows.filter(results_published_at__isnull=False).count()

    def items(self, contest) -> list[FeedItem]:
        url = _link("contests", contest.pk)
        found = [
            FeedItem(
                "contest",
                "Конкурс",
                contest.created_at,
                f"Объявлен конкурс «{contest.title}»",
                f"Выдвижение с {contest.nominations_from:%d.%m.%Y} по {contest.nominations_until:%d.%m.%Y}",
                url,
            )
        ]
        if contest.results_published_at:
            found.append(
                FeedItem(
                    "contest_results",
                    "Итоги конкурса",
                    contest.results_published_at,
                    f"Подведены итоги конкурса «{contest.title}»",
                    contest.get_kind_display(),
                    url,
                )
            )
        return found


def publishers_above(organization: Organization) -> tuple[int, list[int]]:
    """The region's id and the ids of the organizations whose publications reach `organization`.

    Uses only the parent already loaded with the host's organization (no query)."""
    if organization.level == Level.REGION:
        return organization.pk, [organization.pk]
    if organization.level == Level.MUNICIPALITY:
        return organization.parent_id, [organization.parent_id, organization.pk]
    parent = organization.parent
    if parent.level == Level.REGION:
        return parent.pk, [parent.pk]
    return parent.parent_id, [parent.parent_id, parent.pk]


def sources_for(organization: Organization) -> list[Source]:
    region_id, publisher_ids = publishers_above(organization)
    return [
        CaseSource(region_id),
        TemplateSource(publisher_ids),
        EventSource(publisher_ids),
        ContestSource(region_id),
    ]


# --- the feed ------------------------------------------------------------------------------------------


class Feed:
    """The merged feed as a sequence Django's Paginator can page through (newest first)."""

    def __init__(self, organization: Organization):
        self.sources = sources_for(organization)

    def count(self) -> int:
        return sum(source.count() for source in self.sources)

    def __len__(self) -> int:
        return self.count()

    def newest(self, limit: int) -> list[FeedItem]:
        items = [item for source in self.sources for item in source.newest(limit)]
        items.sort(key=lambda item: item.at, reverse=True)
        return items[:limit]

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop = index.start or 0, index.stop
            if stop is None:
                stop = self.count()
            return self.newest(stop)[start:stop]
        return self.newest(index + 1)[index]


def feed_for(organization: Organization) -> Feed:
    return Feed(organization)


def feed_latest(organization: Organization, *, limit: int = HOME_ITEMS) -> list[FeedItem]:
    """The newest items for the home page's block: one query per source."""
    return Feed(organization).newest(limit)
