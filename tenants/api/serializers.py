from rest_framework import serializers

from tenants.models import Membership, Organization, User


class OrganizationBriefSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    domain = serializers.SerializerMethodField()

    class Meta:
        model = Organization
        fields = ["id", "code", "level", "level_display", "kind", "kind_display", "short_name", "domain"]

    def get_domain(self, organization: Organization) -> str | None:
        domains = list(organization.domains.all())
        primary = next((d for d in domains if d.is_primary), domains[0] if domains else None)
        return primary.domain if primary else None


class OrganizationSerializer(OrganizationBriefSerializer):
    parent = OrganizationBriefSerializer(read_only=True)

    class Meta(OrganizationBriefSerializer.Meta):
        fields = [
            *OrganizationBriefSerializer.Meta.fields,
            "full_name",
            "inn",
            "address",
            "website",
            "time_zone",
            "parent",
        ]


class MembershipSerializer(serializers.ModelSerializer):
    organization = OrganizationBriefSerializer(read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "role", "role_display", "organization"]


class CurrentUserSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="get_full_name", read_only=True)
    memberships = serializers.SerializerMethodField()
    roles_here = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "last_name", "first_name", "patronymic", "full_name", "roles_here", "memberships"]

    def get_memberships(self, user: User) -> list[dict]:
        return MembershipSerializer(self.context["memberships"], many=True).data

    def get_roles_here(self, user: User) -> list[str]:
        return sorted(self.context["roles_here"])


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(label="Электронная почта")
    password = serializers.CharField(label="Пароль", style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
