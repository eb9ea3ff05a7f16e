"""Pages of the order register (реестр приказов): list, detail, DOCX, signed scan, and the draft DOCX of
the orders approving the regulation and the roadmap and appointing the curator and council, generated
before signing from the details typed on the approval page, writing nothing (tenant schema)."""

from __future__ import annotations

from datetime import date, datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from institutional.access import DIRECTORS, OVERSEERS, has_any_role, roles_required
from institutional.documents.orders import order_docx_response, order_draft_docx_response
from institutional.forms.orders import EncouragementForm, OrderScanForm
from institutional.models import Appointment, Order, RegulationVersion
from institutional.selectors.orders import access_order, order_list
from institutional.selectors.regulation import access_regulation_version
from institutional.selectors.roadmap import access_roadmap
from institutional.selectors.staff import employed_staff
from institutional.services import orders as services
from nastavnik.uploads import stored_file_response
from tenants.models import Role

# The director signs; the curator prepares the orders, so both may download drafts.
DRAFTERS = DIRECTORS | {Role.CURATOR}


@require_GET
@roles_required(OVERSEERS)
def order_list_page(request):
    kind = request.GET.get("kind", "")
    context = {
        "orders": order_list(kind=kind),
        "kinds": Order.Kind.choices,
        "kind": kind,
        "can_issue": has_any_role(request, DIRECTORS),
    }
    return render(request, "institutional/orders/list.html", context)


def _decisions(order: Order) -> list[tuple[str, str]]:
    """What the order decided, as (text, link) for the detail page."""
    decisions = []
    contest = (order.content or {}).get("contest") if order.kind == Order.Kind.ENCOURAGEMENT else None
    if isinstance(contest, dict) and contest.get("id"):
        decisions.append(
            (
                f"Поощрение по итогам конкурса «{contest.get('title', '')}»",
                reverse("contests:detail", args=[contest["id"]]),
            )
        )
    for item in services.order_items(order):
        if item["kind"] == Order.Kind.REGULATION_APPROVAL:
            decisions.append(
                (
                    f"Утверждено: {item['title']} (редакция № {item['version_number']})",
                    reverse("institutional:regulation_download", args=[item["version_id"]]),
                )
            )
        elif item["kind"] == Order.Kind.ROADMAP_APPROVAL:
            decisions.append(
                (
                    f"Утверждена дорожная карта на {item['academic_year_label']} учебный год",
                    reverse("institutional:roadmap_detail", args=[item["roadmap_id"]]),
                )
            )
        elif item["kind"] == Order.Kind.CURATOR_APPOINTMENT:
            role = Appointment.Role(item["role"]).label if item["role"] in Appointment.Role.values else item["role"]
            decisions.append(
                (
                    f"Назначение: {role.lower()} — {item['full_name']}",
                    reverse("institutional:staff_detail", args=[item["staff_id"]]),
                )
            )
    return decisions


def _detail_context(order: Order, scan_form) -> dict:
    return {"order": order, "scan_form": scan_form, "pairs": order.pairs.all(), "decisions": _decisions(order)}


@require_GET
@roles_required(OVERSEERS)
def order_detail(request, order_id: int):
    order = access_order(order_id=order_id)
    return render(request, "institutional/orders/detail.html", _detail_context(order, OrderScanForm()))


@require_GET
@roles_required(OVERSEERS)
def order_docx(request, order_id: int):
    return order_docx_response(access_order(order_id=order_id))


@require_POST
@roles_required(OVERSEERS)
def order_scan_upload(request, order_id: int):
    order = access_order(order_id=order_id)
    form = OrderScanForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.order_attach_scan(actor=request.user, order=order, scan=form.cleaned_data["scan"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Скан подписанного приказа прикреплён.")
            return redirect("institutional:order_detail", order_id=order.pk)
    else:
        messages.error(request, "Выберите файл скана.")
    return render(request, "institutional/orders/detail.html", _detail_context(order, form), status=400)


@require_GET
@roles_required(OVERSEERS)
def order_scan(request, order_id: int):
    return stored_file_response(access_order(order_id=order_id).signed_scan)


@require_http_methods(["GET", "POST"])
@roles_required(DIRECTORS)
def order_encouragement_create(request):
    form = EncouragementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = services.order_encouragement_create(
                actor=request.user,
                number=data["order_number"],
                day=data["order_date"],
                title=data["title"],
                persons=data["persons"].splitlines(),
                grounds=data["grounds"],
            )
        except ValidationError as error:
            for field, texts in error.message_dict.items():
                form.add_error(field if field in form.fields else None, texts)
        else:
            messages.success(request, f"Приказ № {order.number} внесён в реестр.")
            return redirect("institutional:order_detail", order_id=order.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "institutional/orders/encouragement.html", {"form": form}, status=status)


# --- drafts before signing (nothing is written) ---------------------------------------------------


def _parse_day(value) -> date | None:
    value = (value or "").strip() if isinstance(value, str) else ""
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


def _draft_input(request):
    """The order's number and date typed on the page (POST from the form's button, or GET parameters)."""
    data = request.POST if request.method == "POST" else request.GET
    return data, (data.get("order_number") or "").strip()[:50], _parse_day(data.get("order_date"))


@require_http_methods(["GET", "POST"])
@roles_required(DRAFTERS)
def order_draft_regulation(request, version_id: int):
    version = access_regulation_version(version_id=version_id)
    _, number, day = _draft_input(request)
    previous = RegulationVersion.objects.filter(status=RegulationVersion.Status.APPROVED).exclude(pk=version.pk).first()
    item = services.regulation_order_item(version=version, previous=previous, effective_from=day)
    return order_draft_docx_response(
        services.order_preview(kind=Order.Kind.REGULATION_APPROVAL, number=number, day=day, item=item)
    )


@require_http_methods(["GET", "POST"])
@roles_required(DRAFTERS)
def order_draft_roadmap(request, roadmap_id: int):
    roadmap = access_roadmap(roadmap_id=roadmap_id)
    _, number, day = _draft_input(request)
    item = services.roadmap_order_item(roadmap=roadmap)
    return order_draft_docx_response(
        services.order_preview(kind=Order.Kind.ROADMAP_APPROVAL, number=number, day=day, item=item)
    )


@require_http_methods(["GET", "POST"])
@roles_required(DRAFTERS)
def order_draft_appointment(request):
    data, number, day = _draft_input(request)
    staff_id = str(data.get("staff") or "").strip()
    staff = employed_staff().filter(pk=int(staff_id)).first() if staff_id.isdigit() and len(staff_id) < 12 else None
    role = data.get("role") or ""
    if staff is None or role not in Appointment.Role.values:
        messages.error(request, "Чтобы сформировать проект приказа, выберите сотрудника и роль.")
        return redirect("institutional:appointment_list")
    item = services.appointment_order_item(staff=staff, role=role, starts_on=_parse_day(data.get("starts_on")) or day)
    return order_draft_docx_response(
        services.order_preview(kind=Order.Kind.CURATOR_APPOINTMENT, number=number, day=day, item=item)
    )
