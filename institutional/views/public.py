"""The public section «Наставничество» of an organization: no login, an internet page.

Only what institutional.public_section builds is shown here. The widget alone may be framed by
other sites (a school's own website); every other page keeps the default X-Frame-Options.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from institutional import public_section as selectors
from institutional.documents.regulation import regulation_docx_response
from institutional.models import RegulationVersion
from nastavnik.uploads import stored_file_response


def _urls(request) -> dict:
    return {
        "page_url": request.build_absolute_uri(reverse("public:index")),
        "widget_url": request.build_absolute_uri(reverse("public:widget")),
        "feed_url": request.build_absolute_uri(reverse("public:feed")),
    }


@require_GET
def index(request):
    context = selectors.public_section()
    context.update(_urls(request), school_site_path=selectors.SCHOOL_SITE_PATH, hide_login_link=False)
    return render(request, "institutional/public/index.html", context)


@require_GET
@xframe_options_exempt
def widget(request):
    context = {
        "organization": selectors.public_section_organization(),
        "news": selectors.public_news(limit=selectors.WIDGET_NEWS_COUNT),
        **_urls(request),
    }
    response = render(request, "institutional/public/widget.html", context)
    response["Content-Security-Policy"] = "frame-ancestors *"
    return response


def _document_url(request, regulation) -> str:
    if regulation is None:
        return ""
    return request.build_absolute_uri(reverse("public:regulation_document", args=[regulation.id]))


@require_GET
def feed(request):
    data = selectors.public_section()
    regulation = data["regulation"]
    payload = {
        "organization": data["organization"],
        "page_url": request.build_absolute_uri(reverse("public:index")),
        "regulation": None
        if regulation is None
        else {
            "title": regulation.title,
            "version": regulation.version,
            "order_number": regulation.order_number,
            "order_date": regulation.order_date,
            "document_url": _document_url(request, regulation),
        },
        "roadmap": data["roadmap"],
        "programs": data["programs"],
        "mentors": [{field["code"]: field["value"] for field in mentor["fields"]} for mentor in data["mentors"]],
        "results": data["results"],
        "legal_base": list(data["legal_base"]),
        "news": [
            {"id": item.pk, "title": item.title, "published_on": item.published_on, "body": item.body}
            for item in data["news"]
        ],
    }
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def regulation_document(request, version_id: int):
    """The document of the regulation in force; any other version (a draft, a superseded one) is 404."""
    version = selectors.public_regulation_version(version_id=version_id)
    if version.source == RegulationVersion.Source.UPLOAD:
        return stored_file_response(version.document)
    return regulation_docx_response(version)
