"""DOC-012: a custom field the workspace expects on every object of its type, left empty on some."""

from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.core.registry import registry

EXAMPLES = 10


@register
class ExpectedCustomFieldEmpty(Rule):
    """Judges the expected custom fields (not every object): one finding per field names how many
    objects lack it and the first of them, so that a field added to 2,000 applications is one line."""

    id = "DOC-012"
    domain = "documentation"
    severity = "low"
    object_type = "custom_field"
    title = _("Expected custom field left empty")
    rationale = _("The workspace decided this field matters for every object of its type (a contract number, "
                  "a conformity level...): objects without it escape the follow-up it was added for.")
    remediation = _("Fill the field on the objects listed in the evidence (a list filtered on the field finds "
                    "them), or stop expecting it on every object.")
    evidence = {"type": "object_type", "field": "slug"}
    local = False

    @property
    def reads_outside_sql(self) -> tuple[str, ...]:
        # Whether a field is filled is read on the objects of its type, whichever type that is.
        return tuple(t.singular for t in registry if t.singular != self.object_type)

    def scope(self, ctx):
        return ctx.objects("custom_field").filter(expected=True)

    def failing(self, ctx, scope):
        missing = self._missing(ctx, scope)
        return scope.filter(slug__in=list(missing))

    def _missing(self, ctx, scope) -> dict[str, tuple[int, list[str]]]:
        """Field slug -> (objects without a value, the first of their slugs): two queries per expected field."""
        found: dict[str, tuple[int, list[str]]] = {}
        for slug, type_key in scope.values_list("slug", "object_type"):
            if type_key not in registry:
                continue
            rows = registry[type_key].model.objects.filter(workspace=ctx.workspace).exclude(custom__has_key=slug)
            count = rows.count()
            if count:
                found[slug] = (count, list(rows.order_by("slug").values_list("slug", flat=True)[:EXAMPLES]))
        ctx.memo[self.id] = found
        return found

    def enrich(self, evidence, ctx):
        count, examples = ctx.memo.get(self.id, {}).get(evidence.get("field"), (0, []))
        return {**evidence, "objects_without_value": count, "first_of_them": ", ".join(examples)}
