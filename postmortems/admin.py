from django.contrib import admin

from .models import Change, Commitment, Lag, Postmortem, Revision, Service, TimelineEntry


class TimelineInline(admin.TabularInline):
    model = TimelineEntry
    extra = 0


class LagInline(admin.TabularInline):
    model = Lag
    extra = 0


class ChangeInline(admin.TabularInline):
    model = Change
    extra = 0


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0
    raw_id_fields = ["change"]


@admin.register(Postmortem)
class PostmortemAdmin(admin.ModelAdmin):
    list_display = ["title", "severity", "status", "quarter", "incident_start", "verdict"]
    list_filter = ["status", "severity", "quarter"]
    search_fields = ["title", "slug", "search_text"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["services", "authors"]
    readonly_fields = ["quarter", "verdict", "version", "created_at", "updated_at"]
    inlines = [TimelineInline, LagInline, ChangeInline, CommitmentInline]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "team"]
    search_fields = ["name", "team"]


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["text", "owner", "due", "status", "postmortem"]
    list_filter = ["status"]
    search_fields = ["text", "owner"]
    raw_id_fields = ["postmortem", "change"]


@admin.register(Change)
class ChangeAdmin(admin.ModelAdmin):
    list_display = ["text", "kind", "reference", "owner", "due", "status"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["postmortem"]


@admin.register(TimelineEntry)
class TimelineEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "text", "actor", "phase", "postmortem"]
    raw_id_fields = ["postmortem"]


@admin.register(Lag)
class LagAdmin(admin.ModelAdmin):
    list_display = ["kind", "minutes", "text", "postmortem"]
    raw_id_fields = ["postmortem"]


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ["postmortem", "number", "author", "created_at", "valid", "note"]
    raw_id_fields = ["postmortem", "author"]
    readonly_fields = ["created_at"]
