"""Pages of the order register (реестр приказов): list, detail, DOCX, signed scan (tenant schema)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from institutional.access import DIRECTORS, OVERSEERS, has_any_role, roles_required
from institutional.documents.orders import order_docx_response
from institutional.forms.orders import EncouragementForm, OrderScanForm
from institutional.models import Order
from institutional.selectors.orders import access_order, order_list
from institutional.services import orders as services
from nastavnik.uploads import stored_file_response


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


@require_GET
@roles_required(OVERSEERS)
def order_detail(request, order_id: int):
    order = access_order(order_id=order_id)
    return render(
        request,
        "institutional/orders/detail.html",
        {"order": order, "scan_form": OrderScanForm(), "pairs": order.pairs.all()},
    )


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
    return render(request, "institutional/orders/detail.html", {"order": order, "scan_form": form}, status=400)


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
