"""API of the area «staff» (mounted under /api/v1/org/ by institutional/api/urls.py).

Staff registry (list, card, create, change, dismissal), import of an HR file, XLSX export,
appointments of the curator and council, and the yearly review of the mentee list. Tenant schema.
"""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from institutional.access import DIRECTORS, MANAGERS, OVERSEERS, STAFF_READERS
from institutional.dates import organization_today
from institutional.models import Appointment, QualificationCategory, Staff, StaffListReview
from institutional.selectors import staff as selectors
from institutional.services import appointments as appointment_services
from institutional.services import staff as services
from institutional.staff_import import COLUMN_BY_KEY
from nastavnik.api.base import TenantAPIView
from nastavnik.xlsx import xlsx_response
from tenants.models import Role

APPOINTERS = DIRECTORS | {Role.CURATOR}


class _RolesByMethod:
    """Readers may GET; writers may change. Members lacking the role get 404 (the base class)."""

    read_roles: frozenset = STAFF_READERS
    write_roles: frozenset = MANAGERS

    @property
    def allowed_roles(self):
        return self.read_roles if self.request.method in SAFE_METHODS else self.write_roles


def _error_response(error: ValidationError) -> Response:
    if hasattr(error, "error_dict"):
        return Response(error.message_dict, status=status.HTTP_400_BAD_REQUEST)
    return Response({"detail": error.messages}, status=status.HTTP_400_BAD_REQUEST)


# --- serializers ---------------------------------------------------------------------------------


class StaffOutputSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)
    is_young_specialist = serializers.BooleanField(read_only=True)
    user_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Staff
        fields = [
            "id",
            "personnel_number",
            "snils",
            "last_name",
            "first_name",
            "patronymic",
            "full_name",
            "birth_date",
            "position",
            "subjects",
            "hire_date",
            "total_experience_years",
            "pedagogical_experience_years",
            "qualification_category",
            "is_young_specialist",
            "status",
            "dismissal_date",
            "email",
            "phone",
            "user_id",
        ]


class StaffInputSerializer(serializers.Serializer):
    personnel_number = serializers.CharField(max_length=32, required=False, allow_blank=True)
    snils = serializers.CharField(max_length=14, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150)
    first_name = serializers.CharField(max_length=150)
    patronymic = serializers.CharField(max_length=150, required=False, allow_blank=True)
    birth_date = serializers.DateField(required=False, allow_null=True)
    position = serializers.CharField(max_length=200)
    subjects = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    hire_date = serializers.DateField()
    total_experience_years = serializers.DecimalField(max_digits=4, decimal_places=1, min_value=0, required=False)
    pedagogical_experience_years = serializers.DecimalField(max_digits=4, decimal_places=1, min_value=0, required=False)
    qualification_category = serializers.ChoiceField(choices=QualificationCategory.choices, required=False)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    user_id = serializers.IntegerField(required=False, allow_null=True)


class DismissInputSerializer(serializers.Serializer):
    dismissal_date = serializers.DateField()


class AppointmentSerializer(serializers.ModelSerializer):
    staff_name = serializers.CharField(source="staff.full_name", read_only=True)

    class Meta:
        model = Appointment
        fields = ["id", "staff", "staff_name", "role", "order_number", "order_date", "starts_on", "ended_on"]


class AppointmentCreatedSerializer(AppointmentSerializer):
    """The new appointment and the id of its order in the register."""

    order_id = serializers.SerializerMethodField()

    class Meta(AppointmentSerializer.Meta):
        fields = [*AppointmentSerializer.Meta.fields, "order_id"]

    def get_order_id(self, appointment) -> int | None:
        order = getattr(appointment, "register_order", None)
        return order.pk if order else None


class AppointmentInputSerializer(serializers.Serializer):
    staff = serializers.IntegerField()
    role = serializers.ChoiceField(choices=Appointment.Role.choices)
    order_number = serializers.CharField(max_length=50, required=False, allow_blank=True)
    order_date = serializers.DateField(required=False, allow_null=True)
    starts_on = serializers.DateField(required=False, allow_null=True)


class AppointmentEndSerializer(serializers.Serializer):
    ended_on = serializers.DateField()


class ReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = StaffListReview
        fields = ["id", "reviewed_on", "reviewed_by", "note", "mentees_waiting"]


class ReviewInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True)


ImportErrorsSerializer = inline_serializer(
    "StaffImportErrors",
    {
        "errors": inline_serializer(
            "StaffImportError",
            {"line": serializers.IntegerField(), "column": serializers.CharField(), "message": serializers.CharField()},
            many=True,
        )
    },
)
ImportResultSerializer = inline_serializer(
    "StaffImportResult",
    {
        "created": serializers.IntegerField(),
        "updated": serializers.IntegerField(),
        "unchanged": serializers.IntegerField(),
        "written": serializers.BooleanField(),
    },
)


# --- staff ---------------------------------------------------------------------------------------


class StaffListView(_RolesByMethod, TenantAPIView):
    @extend_schema(
        summary="Педагогические работники организации",
        responses=StaffOutputSerializer(many=True),
    )
    def get(self, request):
        staff = selectors.staff_list(
            search=request.query_params.get("q", ""),
            status=request.query_params.get("status", ""),
            young=request.query_params.get("young") in ("1", "true"),
        )
        return Response(StaffOutputSerializer(staff, many=True).data)

    @extend_schema(summary="Добавить сотрудника", request=StaffInputSerializer, responses={201: StaffOutputSerializer})
    def post(self, request):
        serializer = StaffInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            staff = services.staff_create(actor=request.user, values=dict(serializer.validated_data))
        except ValidationError as error:
            return _error_response(error)
        return Response(StaffOutputSerializer(staff).data, status=status.HTTP_201_CREATED)


class StaffDetailView(_RolesByMethod, TenantAPIView):
    @extend_schema(summary="Карточка сотрудника", responses=StaffOutputSerializer)
    def get(self, request, staff_id: int):
        staff = selectors.access_staff(request=request, staff_id=staff_id)
        return Response(StaffOutputSerializer(staff).data)

    @extend_schema(summary="Изменить данные сотрудника", request=StaffInputSerializer, responses=StaffOutputSerializer)
    def patch(self, request, staff_id: int):
        staff = selectors.access_staff(request=request, staff_id=staff_id)
        serializer = StaffInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        try:
            services.staff_update(actor=request.user, staff=staff, values=dict(serializer.validated_data))
        except ValidationError as error:
            return _error_response(error)
        return Response(StaffOutputSerializer(staff).data)


class StaffDismissView(TenantAPIView):
    allowed_roles = MANAGERS

    @extend_schema(summary="Отметить увольнение", request=DismissInputSerializer, responses=StaffOutputSerializer)
    def post(self, request, staff_id: int):
        staff = selectors.access_staff(request=request, staff_id=staff_id)
        serializer = DismissInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.staff_dismiss(
                actor=request.user, staff=staff, dismissal_date=serializer.validated_data["dismissal_date"]
            )
        except ValidationError as error:
            return _error_response(error)
        return Response(StaffOutputSerializer(staff).data)


class StaffImportView(TenantAPIView):
    allowed_roles = MANAGERS
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="Загрузить сотрудников из файла XLSX или CSV",
        description=(
            "Поле `file` — таблица; необязательное поле `mapping` — JSON {поле: номер столбца с нуля}, "
            "поля: "
            + ", ".join(f"`{key}` ({column.title})" for key, column in COLUMN_BY_KEY.items())
            + ". Без него столбцы распознаются по заголовкам. `dry_run=true` — только проверка. "
            "Если хотя бы одна строка с ошибкой, ничего не записывается и возвращается список ошибок."
        ),
        request=inline_serializer(
            "StaffImportRequest",
            {
                "file": serializers.FileField(),
                "mapping": serializers.CharField(required=False),
                "dry_run": serializers.BooleanField(required=False),
            },
        ),
        responses={200: ImportResultSerializer, 400: ImportErrorsSerializer},
    )
    def post(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            return Response(
                {"errors": [{"line": 0, "column": "", "message": "Приложите файл в поле «file»."}]}, status=400
            )
        mapping = None
        if request.data.get("mapping"):
            try:
                mapping = {str(key): int(value) for key, value in json.loads(request.data["mapping"]).items()}
            except (ValueError, TypeError, AttributeError):
                return Response(
                    {
                        "errors": [
                            {
                                "line": 0,
                                "column": "",
                                "message": "Поле «mapping» должно быть JSON-объектом {поле: номер столбца}.",
                            }
                        ]
                    },
                    status=400,
                )
        content = upload.read()
        if str(request.data.get("dry_run", "")).lower() in ("1", "true"):
            plan, written = services.staff_import_plan(content=content, filename=upload.name, mapping=mapping), False
        else:
            plan, result = services.staff_import_apply(
                actor=request.user, content=content, filename=upload.name, mapping=mapping
            )
            written = result is not None
        if not plan.is_valid:
            errors = [{"line": e.line, "column": e.column, "message": e.message} for e in plan.errors]
            return Response({"errors": errors}, status=status.HTTP_400_BAD_REQUEST)
        return Response(
            {"created": plan.created, "updated": plan.updated, "unchanged": plan.unchanged, "written": written}
        )


class StaffExportView(TenantAPIView):
    allowed_roles = STAFF_READERS

    @extend_schema(
        summary="Выгрузка сотрудников в XLSX",
        responses={
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiResponse(
                description="Файл XLSX"
            )
        },
    )
    def get(self, request):
        return xlsx_response(f"Сотрудники {organization_today():%Y-%m-%d}.xlsx", [selectors.staff_export_sheet()])


# --- yearly review -------------------------------------------------------------------------------


class StaffListReviewView(_RolesByMethod, TenantAPIView):
    read_roles = OVERSEERS

    @extend_schema(summary="Актуализации списка наставляемых", responses=ReviewSerializer(many=True))
    def get(self, request):
        return Response(ReviewSerializer(selectors.staff_list_review_list(), many=True).data)

    @extend_schema(
        summary="Отметить актуализацию списка наставляемых",
        request=ReviewInputSerializer,
        responses={201: ReviewSerializer},
    )
    def post(self, request):
        serializer = ReviewInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = services.staff_list_review_record(actor=request.user, note=serializer.validated_data.get("note", ""))
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)


# --- appointments --------------------------------------------------------------------------------


class AppointmentListView(_RolesByMethod, TenantAPIView):
    read_roles = OVERSEERS
    write_roles = APPOINTERS
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(summary="Назначения куратора и членов совета", responses=AppointmentSerializer(many=True))
    def get(self, request):
        return Response(AppointmentSerializer(selectors.appointment_list(), many=True).data)

    @extend_schema(
        summary="Назначить куратора или члена совета приказом",
        request=AppointmentInputSerializer,
        responses={201: AppointmentCreatedSerializer},
    )
    def post(self, request):
        serializer = AppointmentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        staff = selectors.our_staff().filter(pk=data["staff"]).first()
        if staff is None:
            return Response({"staff": ["Такого сотрудника нет в организации."]}, status=status.HTTP_400_BAD_REQUEST)
        try:
            appointment = appointment_services.appointment_create(
                actor=request.user,
                staff=staff,
                role=data["role"],
                order_number=data.get("order_number", ""),
                order_date=data.get("order_date"),
                starts_on=data.get("starts_on"),
            )
        except ValidationError as error:
            return _error_response(error)
        return Response(AppointmentCreatedSerializer(appointment).data, status=status.HTTP_201_CREATED)


class AppointmentEndView(TenantAPIView):
    allowed_roles = APPOINTERS

    @extend_schema(summary="Завершить назначение", request=AppointmentEndSerializer, responses=AppointmentSerializer)
    def post(self, request, appointment_id: int):
        appointment = selectors.access_appointment(request=request, appointment_id=appointment_id)
        serializer = AppointmentEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            appointment_services.appointment_end(
                actor=request.user, appointment=appointment, ended_on=serializer.validated_data["ended_on"]
            )
        except ValidationError as error:
            return _error_response(error)
        return Response(AppointmentSerializer(appointment).data)


urlpatterns = [
    path("", StaffListView.as_view(), name="api-staff-list"),
    path("<int:staff_id>/", StaffDetailView.as_view(), name="api-staff-detail"),
    path("<int:staff_id>/dismiss/", StaffDismissView.as_view(), name="api-staff-dismiss"),
    path("import/", StaffImportView.as_view(), name="api-staff-import"),
    path("export/", StaffExportView.as_view(), name="api-staff-export"),
    path("reviews/", StaffListReviewView.as_view(), name="api-staff-reviews"),
    path("appointments/", AppointmentListView.as_view(), name="api-appointment-list"),
    path("appointments/<int:appointment_id>/end/", AppointmentEndView.as_view(), name="api-appointment-end"),
]
