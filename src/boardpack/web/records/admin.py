"""Django's admin (`/admin/`, administrators only): which organisations each user acts for.

A `Membership` limits a user to the organisations it names; a user with none acts for every
organisation in the database. Administrators list them by organisation and role, search them
by the user's name, user name or e-mail address or by the organisation's code or name, and
give a user their organisations on the user's own page as well.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from .models import Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "full_name", "email", "roles", "organisation")
    list_display_links = ("user",)
    list_filter = ("organisation", "user__groups")
    search_fields = (
        "user__username",
        "user__first_name",
        "user__last_name",
        "user__email",
        "organisation__code",
        "organisation__name",
    )
    ordering = ("organisation__name", "user__username")
    autocomplete_fields = ("user",)
    list_select_related = ("user", "organisation")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("user__groups")

    @admin.display(description="Name", ordering="user__last_name")
    def full_name(self, membership: Membership) -> str:
        return membership.user.get_full_name()

    @admin.display(description="E-mail address", ordering="user__email")
    def email(self, membership: Membership) -> str:
        return membership.user.email

    @admin.display(description="Role")
    def roles(self, membership: Membership) -> str:
        user = membership.user
        names = sorted(group.name for group in user.groups.all())
        if user.is_superuser:
            names.insert(0, "administrator (superuser)")
        return ", ".join(names) or "no role"


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    verbose_name = "organisation this user acts for"
    verbose_name_plural = "Organisations this user acts for (none: every organisation)"


class UserWithMemberships(UserAdmin):
    """Django's user page, with the organisations the user acts for."""

    inlines = [*UserAdmin.inlines, MembershipInline]


User = get_user_model()
admin.site.unregister(User)
admin.site.register(User, UserWithMemberships)
