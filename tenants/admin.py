"""Platform administration (public host only): organizations, users, memberships, audit trail."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from tenants.models import AuditEvent, Domain, Membership, OnboardingJob, Organization, User


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["short_name", "code", "level", "kind", "parent", "is_active"]
    list_filter = ["level", "kind", "is_active"]
    search_fields = ["short_name", "full_name", "code", "inn"]
    readonly_fields = ["code", "schema_name", "level", "parent", "created_at"]
    inlines = [DomainInline]

    def has_add_permission(self, request):
        return False  # organizations are provisioned (schema clone) by provision_org / onboarding

    def has_delete_permission(self, request, obj=None):
        return False  # an organization is deactivated, never dropped with its data


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organization"]


class UserChange(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


class UserCreation(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ["email", "last_name", "first_name", "patronymic"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChange
    add_form = UserCreation
    ordering = ["last_name", "first_name"]
    list_display = ["email", "last_name", "first_name", "patronymic", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "last_name", "first_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Личные данные", {"fields": ["last_name", "first_name", "patronymic"]}),
        ("Доступ", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("Даты", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "last_name", "first_name", "patronymic", "password1", "password2"],
            },
        )
    ]
    readonly_fields = ["last_login", "date_joined"]
    inlines = [MembershipInline]

    def has_delete_permission(self, request, obj=None):
        # A person's object permissions live in every tenant schema; accounts are deactivated.
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role", "is_active"]
    list_filter = ["role", "is_active", "organization__level"]
    search_fields = ["user__email", "user__last_name", "organization__short_name"]
    autocomplete_fields = ["user", "organization"]


@admin.register(OnboardingJob)
class OnboardingJobAdmin(admin.ModelAdmin):
    list_display = ["file_name", "status", "total", "processed", "created_count", "created_at"]
    exclude = ["rows"]
    readonly_fields = [f.name for f in OnboardingJob._meta.fields if f.name != "rows"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "table_name", "row_id", "action", "actor_id"]
    list_filter = ["table_name", "action"]
    search_fields = ["row_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
