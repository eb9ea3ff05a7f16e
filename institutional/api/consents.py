"""API of the area «consents» (mounted under /api/v1/org/consents/ by institutional/api/urls.py).

Runs in the tenant schema. The curator, the council and the director see every consent; any other
member only their own. Managers prepare consents and record signing; a person may withdraw their own.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from institutional.access import MANAGERS, has_any_role
from institutional.api.banks import _call, _require_manager, _staff
from institutional.consent_texts import PUBLISHED_FIELDS
from institutional.documents.consents import consent_document, consent_filename
from institutional.models import Consent, ConsentKind, MenteeEntry
from institutional.selectors.consents import access_consent, consents_visible, is_own_consent
from institutional.services import consents as services
from nastavnik.api.base import TenantAPIView
from nastavnik.documents import docx_response


class ConsentSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    has_scan = serializers.SerializerMethodField()

    class Meta:
        model = Consent
        fields = [
            "id",
            "kind",
            "kind_display",
            "staff",
            "mentee_entry",
            "subject_full_name",
            "subject_document",
            "subject_address",
            "representative_full_name",
            "representative_document",
            "representative_basis",
            "operator_name",
            "operator_address",
            "operator_inn",
            "purpose",
            "data_list",
            "actions",
            "term",
            "withdrawal_procedure",
            "published_fields",
            "status",
            "status_display",
            "signed_on",
            "has_scan",
            "withdrawn_on",
            "withdrawal_note",
            "created_at",
        ]
        read_only_fields = fields

    def get_has_scan(self, consent) -> bool:
        return bool(consent.signed_scan)


class ConsentCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ConsentKind.choices)
    staff = serializers.IntegerField(required=False, allow_null=True, default=None)
    mentee_entry = serializers.IntegerField(required=False, allow_null=True, default=None)
    subject_document = serializers.CharField(required=False, allow_blank=True, default="")
    subject_address = serializers.CharField(required=False, allow_blank=True, default="")
    representative_full_name = serializers.CharField(required=False, allow_blank=True, default="")
    representative_document = serializers.CharField(required=False, allow_blank=True, default="")
    representative_basis = serializers.CharField(required=False, allow_blank=True, default="")
    published_fields = serializers.ListField(
        child=serializers.ChoiceField(choices=list(PUBLISHED_FIELDS.items())), required=False, default=list
    )


class ConsentSignSerializer(serializers.Serializer):
    signed_on = serializers.DateField()
    signed_scan = serializers.FileField()


class ConsentWithdrawSerializer(serializers.Serializer):
    withdrawn_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ConsentListView(TenantAPIView):
    @extend_schema(summary="Согласия (свои — для педагога)", responses=ConsentSerializer(many=True))
    def get(self, request):
        consents = consents_visible(request)
        kind = request.query_params.get("kind")
        if kind:
            consents = consents.filter(kind=kind)
        return Response(ConsentSerializer(consents, many=True).data)

    @extend_schema(
        summary="Подготовить согласие (куратор, совет)",
        request=ConsentCreateSerializer,
        responses={201: ConsentSerializer},
    )
    def post(self, request):
        _require_manager(request)
        serializer = ConsentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        staff_id, entry_id = data.pop("staff"), data.pop("mentee_entry")
        data["staff"] = _staff(staff_id) if staff_id else None
        data["mentee_entry"] = None
        if entry_id:
            data["mentee_entry"] = MenteeEntry.objects.filter(pk=entry_id).first()
            if data["mentee_entry"] is None:
                raise ValidationError({"mentee_entry": "Запись банка наставляемых не найдена."})
        consent = _call(lambda: services.consent_create(actor=request.user, organization=request.tenant, **data))
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)


class ConsentDetailView(TenantAPIView):
    @extend_schema(summary="Согласие", responses=ConsentSerializer)
    def get(self, request, consent_id: int):
        return Response(ConsentSerializer(access_consent(request=request, consent_id=consent_id)).data)


class ConsentDocxView(TenantAPIView):
    @extend_schema(summary="Согласие для подписи (DOCX)", responses={200: OpenApiResponse(OpenApiTypes.BINARY)})
    def get(self, request, consent_id: int):
        consent = access_consent(request=request, consent_id=consent_id)
        return docx_response(consent_document(consent), consent_filename(consent))


class ConsentSignView(TenantAPIView):
    allowed_roles = MANAGERS
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="Записать подписание: дата и скан (PDF, JPEG, PNG)",
        request=ConsentSignSerializer,
        responses=ConsentSerializer,
    )
    def post(self, request, consent_id: int):
        consent = access_consent(request=request, consent_id=consent_id)
        serializer = ConsentSignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        consent = _call(
            lambda: services.consent_sign(
                actor=request.user, consent=consent, signed_on=data["signed_on"], scan=data["signed_scan"]
            )
        )
        return Response(ConsentSerializer(consent).data)


class ConsentWithdrawView(TenantAPIView):
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(
        summary="Отозвать согласие (куратор, совет или сам человек)",
        request=ConsentWithdrawSerializer,
        responses=ConsentSerializer,
    )
    def post(self, request, consent_id: int):
        consent = access_consent(request=request, consent_id=consent_id)
        if not (has_any_role(request, MANAGERS) or is_own_consent(request, consent)):
            raise NotFound("Не найдено.")
        serializer = ConsentWithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        result = _call(
            lambda: services.consent_withdraw(
                actor=request.user,
                consent=consent,
                withdrawn_on=data["withdrawn_on"],
                note=data["note"],
                organization=request.tenant,
            )
        )
        return Response({**ConsentSerializer(result.consent).data, "changes": result.changes})


urlpatterns = [
    path("", ConsentListView.as_view(), name="api_consent_list"),
    path("<int:consent_id>/", ConsentDetailView.as_view(), name="api_consent_detail"),
    path("<int:consent_id>/docx/", ConsentDocxView.as_view(), name="api_consent_docx"),
    path("<int:consent_id>/sign/", ConsentSignView.as_view(), name="api_consent_sign"),
    path("<int:consent_id>/withdraw/", ConsentWithdrawView.as_view(), name="api_consent_withdraw"),
]
