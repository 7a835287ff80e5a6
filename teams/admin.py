from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from teams.models import CoachAssignment, Membership, Neighbourhood, PostcodeArea, Team, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "is_active", "is_superuser"]
    list_filter = ["role", "is_active", "is_superuser"]
    fieldsets = (*BaseUserAdmin.fieldsets, ("Buurtzorg", {"fields": ["role"]}))


class PostcodeInline(admin.TabularInline):
    model = PostcodeArea
    extra = 0


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(admin.ModelAdmin):
    list_display = ["name", "population_estimate"]
    search_fields = ["name"]
    inlines = [PostcodeInline]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "neighbourhood", "is_active"]
    search_fields = ["name"]
    list_select_related = ["neighbourhood"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["nurse", "team", "seat", "started_on", "ended_on"]
    list_select_related = ["nurse", "team"]
    raw_id_fields = ["nurse", "team"]


admin.site.register(CoachAssignment)
