"""Pages of the staff registry: list, card, forms, dismissal, import from HR files, export, the yearly
review of the list of teachers who need mentoring, and appointments of the curator and council.

Runs in the tenant schema. The uploaded import file is kept between the steps in the organization's
own media folder (never in the page), and only its random name is kept in the session.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from institutional.access import DIRECTORS, MANAGERS, OVERSEERS, STAFF_READERS, has_any_role, roles_required
from institutional.dates import organization_today
from institutional.forms.common import apply_errors
from institutional.forms.staff import (
    AppointmentEndForm,
    AppointmentForm,
    DismissForm,
    ImportMappingForm,
    ImportUploadForm,
    ReviewForm,
    StaffForm,
)
from institutional.models import Staff
from institutional.selectors import staff as selectors
from institutional.services import appointments as appointment_services
from institutional.services import staff as services
from institutional.staff_import import COLUMNS, mapping_guess
from nastavnik.spreadsheets import SpreadsheetError, read_table
from nastavnik.xlsx import xlsx_response
from tenants.models import Role

# The director appoints by order; the curator prepares and records the orders.
APPOINTERS = DIRECTORS | {Role.CURATOR}
SESSION_KEY = "institutional_staff_import"
IMPORT_FOLDER = "staff-imports"
PAGE_SIZE = 50


# --- list, card, forms ---------------------------------------------------------------------------


@require_GET
@roles_required(STAFF_READERS)
def staff_list(request):
    search = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    young = request.GET.get("young") == "1"
    page = Paginator(selectors.staff_list(search=search, status=status, young=young), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "search": search,
        "status": status,
        "young": young,
        "statuses": Staff.Status.choices,
        "review": selectors.staff_list_review_status(),
        "review_form": ReviewForm(),
        "can_manage": has_any_role(request, MANAGERS),
    }
    return render(request, "institutional/staff/list.html", context)


@require_GET
def staff_detail(request, staff_id: int):
    staff = selectors.access_staff(request=request, staff_id=staff_id)
    context = {
        "staff": staff,
        "account": selectors.staff_user(staff),
        "appointments": staff.appointments.all(),
        "dismiss_form": DismissForm(initial={"dismissal_date": organization_today()}),
        "can_manage": has_any_role(request, MANAGERS),
    }
    return render(request, "institutional/staff/detail.html", context)


@require_http_methods(["GET", "POST"])
@roles_required(MANAGERS)
def staff_create(request):
    members = selectors.organization_member_users()
    form = StaffForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        if values["user_id"] is None:
            values.pop("user_id")  # let the service link by e-mail
        try:
            staff = services.staff_create(actor=request.user, values=values)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Сотрудник {staff.full_name} добавлен.")
            return redirect("institutional:staff_detail", staff_id=staff.pk)
    status = 400 if form.errors else 200
    return render(request, "institutional/staff/form.html", {"form": form, "staff": None}, status=status)


@require_http_methods(["GET", "POST"])
@roles_required(MANAGERS)
def staff_edit(request, staff_id: int):
    staff = selectors.access_staff(request=request, staff_id=staff_id)
    members = selectors.organization_member_users()
    if request.method == "POST":
        form = StaffForm(request.POST, members=members)
        if form.is_valid():
            try:
                services.staff_update(actor=request.user, staff=staff, values=form.values())
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "Изменения сохранены.")
                return redirect("institutional:staff_detail", staff_id=staff.pk)
    else:
        form = StaffForm(initial=StaffForm.initial_from(staff), members=members)
    status = 400 if form.errors else 200
    return render(request, "institutional/staff/form.html", {"form": form, "staff": staff}, status=status)


@require_POST
@roles_required(MANAGERS)
def staff_dismiss(request, staff_id: int):
    staff = selectors.access_staff(request=request, staff_id=staff_id)
    form = DismissForm(request.POST)
    if form.is_valid():
        try:
            services.staff_dismiss(actor=request.user, staff=staff, dismissal_date=form.cleaned_data["dismissal_date"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Увольнение сотрудника {staff.full_name} отмечено.")
    else:
        messages.error(request, "Укажите дату увольнения.")
    return redirect("institutional:staff_detail", staff_id=staff.pk)


@require_GET
@roles_required(STAFF_READERS)
def staff_export(request):
    return xlsx_response(
        f"Сотрудники {organization_today():%Y-%m-%d}.xlsx",
        [
            selectors.staff_export_sheet(
                search=request.GET.get("q", ""),
                status=request.GET.get("status", ""),
                young=request.GET.get("young") == "1",
            )
        ],
    )


# --- yearly review -------------------------------------------------------------------------------


@require_POST
@roles_required(MANAGERS)
def staff_list_review(request):
    form = ReviewForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    review = services.staff_list_review_record(actor=request.user, note=note)
    messages.success(request, f"Актуализация списка наставляемых отмечена {review.reviewed_on:%d.%m.%Y}.")
    return redirect("institutional:staff_list")


# --- import --------------------------------------------------------------------------------------


def _stored_import(request):
    """(content, filename, mapping) of the file uploaded in this session, or None."""
    state = request.session.get(SESSION_KEY)
    if not state:
        return None
    path = f"{IMPORT_FOLDER}/{state['token']}"
    if not default_storage.exists(path):
        return None
    with default_storage.open(path, "rb") as handle:
        content = handle.read()
    mapping = {key: int(index) for key, index in state.get("mapping", {}).items()}
    return content, state["filename"], mapping


def _forget_import(request) -> None:
    state = request.session.pop(SESSION_KEY, None)
    if state:
        path = f"{IMPORT_FOLDER}/{state['token']}"
        if default_storage.exists(path):
            default_storage.delete(path)


@require_http_methods(["GET", "POST"])
@roles_required(MANAGERS)
def staff_import(request):
    """Step 1: upload. The file is read at once so that a file that is not a table is refused here."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    error = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            table = read_table(content, upload.name)
        except SpreadsheetError as exc:
            error = str(exc)
        else:
            if not table.rows:
                error = "В файле нет ни одной строки с данными, только заголовок."
            else:
                _forget_import(request)
                token = uuid.uuid4().hex + PurePosixPath(upload.name).suffix.lower()[:6]
                default_storage.save(f"{IMPORT_FOLDER}/{token}", ContentFile(content))
                request.session[SESSION_KEY] = {
                    "token": token,
                    "filename": PurePosixPath(upload.name).name[:200],
                    "mapping": mapping_guess(table.headers),
                }
                return redirect("institutional:staff_import_preview")
    status = 400 if (error or form.errors) else 200
    return render(request, "institutional/staff/import_upload.html", {"form": form, "error": error}, status=status)


@require_http_methods(["GET", "POST"])
@roles_required(MANAGERS)
def staff_import_preview(request):
    """Step 2: the column mapping (changeable) and what the import would do with every row."""
    stored = _stored_import(request)
    if stored is None:
        messages.info(request, "Загрузите файл заново: предыдущая загрузка не найдена.")
        return redirect("institutional:staff_import")
    content, filename, mapping = stored
    headers = read_table(content, filename).headers
    if request.method == "POST":
        mapping_form = ImportMappingForm(request.POST, headers=headers)
        if mapping_form.is_valid():
            mapping = mapping_form.mapping()
            request.session[SESSION_KEY] = {**request.session[SESSION_KEY], "mapping": mapping}
    mapping_form = ImportMappingForm(initial={key: str(index) for key, index in mapping.items()}, headers=headers)
    plan = services.staff_import_plan(content=content, filename=filename, mapping=mapping)
    unmapped = [header for index, header in enumerate(headers) if header and index not in mapping.values()]
    context = {
        "filename": filename,
        "mapping_form": mapping_form,
        "plan": plan,
        "unmapped": unmapped,
        "columns": COLUMNS,
    }
    return render(request, "institutional/staff/import_preview.html", context, status=200 if plan.is_valid else 400)


@require_POST
@roles_required(MANAGERS)
def staff_import_confirm(request):
    """Step 3: write. The file is checked again; nothing is written unless every row is valid."""
    stored = _stored_import(request)
    if stored is None:
        messages.error(request, "Загрузите файл заново: предыдущая загрузка не найдена.")
        return redirect("institutional:staff_import")
    content, filename, mapping = stored
    plan, result = services.staff_import_apply(actor=request.user, content=content, filename=filename, mapping=mapping)
    if result is None:
        messages.error(request, f"Файл не загружен: найдено ошибок — {len(plan.errors)}.")
        return redirect("institutional:staff_import_preview")
    _forget_import(request)
    messages.success(
        request,
        f"Загрузка завершена: добавлено {result.created}, обновлено {result.updated}, без изменений {result.unchanged}.",
    )
    return redirect("institutional:staff_list")


# --- appointments --------------------------------------------------------------------------------


def _appointments_page(request, *, form=None, status=200):
    context = {
        "appointments": selectors.appointment_list(),
        "form": form
        or AppointmentForm(staff_choices=selectors.employed_staff(), initial={"starts_on": organization_today()}),
        "end_form": AppointmentEndForm(initial={"ended_on": organization_today()}),
        "can_appoint": has_any_role(request, APPOINTERS),
    }
    return render(request, "institutional/staff/appointments.html", context, status=status)


@require_GET
@roles_required(OVERSEERS)
def appointment_list(request):
    return _appointments_page(request)


@require_POST
@roles_required(APPOINTERS)
def appointment_create(request):
    form = AppointmentForm(request.POST, staff_choices=selectors.employed_staff())
    if form.is_valid():
        staff = Staff.objects.filter(pk=form.cleaned_data["staff"]).first()
        if staff is None:
            form.add_error("staff", "Такого сотрудника нет в организации.")
        else:
            try:
                appointment = appointment_services.appointment_create(
                    actor=request.user,
                    staff=staff,
                    role=form.cleaned_data["role"],
                    order_number=form.cleaned_data["order_number"],
                    order_date=form.cleaned_data["order_date"],
                    starts_on=form.cleaned_data["starts_on"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, f"Назначение сохранено: {appointment}.")
                return redirect("institutional:appointment_list")
    return _appointments_page(request, form=form, status=400)


@require_POST
@roles_required(APPOINTERS)
def appointment_end(request, appointment_id: int):
    appointment = selectors.access_appointment(request=request, appointment_id=appointment_id)
    form = AppointmentEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Укажите дату окончания назначения.")
    else:
        try:
            appointment_services.appointment_end(
                actor=request.user, appointment=appointment, ended_on=form.cleaned_data["ended_on"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Назначение завершено: {appointment}.")
    return redirect(reverse("institutional:appointment_list"))
