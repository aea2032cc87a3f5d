"""The Django admin for audits: a stop-gap UI to read runs and findings and record waivers and answers."""

from django.contrib import admin

from mue.audit.models import AuditRun, Finding, QuestionnaireAnswer, Waiver


@admin.register(AuditRun)
class AuditRunAdmin(admin.ModelAdmin):
    list_display = ("id", "workspace", "as_of", "started", "score", "actor_name")
    list_filter = ("workspace",)
    list_select_related = ("workspace",)
    readonly_fields = ("workspace", "as_of", "started", "finished", "actor_name", "score", "domain_scores",
                       "rule_results", "summary")
    list_per_page = 50


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ("rule_id", "severity", "object_type", "object_slug", "object_name", "status", "run")
    list_filter = ("severity", "domain", "status", "rule_id")
    search_fields = ("object_slug", "object_name", "rule_id")
    list_select_related = ("run",)
    raw_id_fields = ("run", "waiver")
    list_per_page = 50
    show_full_result_count = False


@admin.register(Waiver)
class WaiverAdmin(admin.ModelAdmin):
    list_display = ("rule_id", "object_type", "object_slug", "approver", "expires", "workspace")
    list_filter = ("workspace", "rule_id")
    search_fields = ("object_slug", "rule_id", "approver")
    list_select_related = ("workspace",)
    readonly_fields = ("created",)


@admin.register(QuestionnaireAnswer)
class QuestionnaireAnswerAdmin(admin.ModelAdmin):
    list_display = ("question_id", "answer", "answered_by", "answered_on", "workspace")
    list_filter = ("workspace", "answer", "question_id")
    list_select_related = ("workspace",)
    readonly_fields = ("created",)
