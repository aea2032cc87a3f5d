"""What every domain stands on: the workspace, its members, the register object base, the change log."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models, router, transaction
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

SLUG_PATTERN = r"^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$"
slug_validator = RegexValidator(
    SLUG_PATTERN,
    _("A slug is lower-case letters, digits, dots, dashes and underscores, "
      "starting and ending with a letter or digit."),
)


class WorkspaceKind(models.TextChoices):
    COMMUNE = "commune", _("Municipality")
    INTERCOMMUNALITY = "intercommunality", _("Inter-municipal body")
    SME = "sme", _("Small or medium enterprise")
    ASSOCIATION = "association", _("Association")
    PUBLIC_BODY = "public-body", _("Other public body")
    OTHER = "other", _("Other organization")


# Workspaces being deleted (:func:`mue.core.deletion.delete_workspace`): their objects and history go
# with them in set-based DELETEs that send no per-object signal; a handler that still runs for such a
# workspace (a signal sent for the workspace itself) checks this set and logs nothing.
deleting_workspaces: set[int] = set()


class WorkspaceQuerySet(models.QuerySet):
    def delete(self):
        """Each workspace through :func:`mue.core.deletion.delete_workspace` (seconds, not a collector)."""
        from mue.core.deletion import as_django_result, delete_workspace

        with transaction.atomic(using=self.db):
            return as_django_result([delete_workspace(ws, using=self.db) for ws in self])


class Workspace(models.Model):
    """One organization's register: a client of an advisor, a commune, an SME."""

    slug = models.CharField(_("slug"), max_length=100, unique=True, validators=[slug_validator])
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=WorkspaceKind.choices, default=WorkspaceKind.OTHER)
    country = models.CharField(_("country"), max_length=2, blank=True, default="FR")
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="fr")
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("workspace")
        verbose_name_plural = _("workspaces")

    def __str__(self) -> str:
        return self.name

    def delete(self, using=None, keep_parents=False):
        """Delete the workspace, its objects, links, side tables and history (:mod:`mue.core.deletion`)."""
        from mue.core.deletion import as_django_result, delete_workspace

        using = using or router.db_for_write(Workspace, instance=self)
        result = as_django_result([delete_workspace(self, using=using)])
        self.pk = None
        return result


class ScopedQuerySet(models.QuerySet):
    """Queryset of anything that belongs to one workspace: the one permission gate, evaluated in SQL.

    ``workspace_path`` (a class attribute of the model, ``"workspace"`` by default) is the lookup from
    the row to its workspace (``"run__workspace"`` for an audit finding).
    """

    def in_workspace(self, workspace: Workspace | int) -> ScopedQuerySet:
        return self.filter(**{f"{_workspace_path(self.model)}": workspace})

    def for_user(self, user, action: str = "view") -> ScopedQuerySet:
        """The rows of the workspaces where ``user`` may do ``action`` (view, change, audit, admin)."""
        from mue.core.access import workspaces_for

        return self.filter(**{f"{_workspace_path(self.model)}__in": workspaces_for(user, action)})


def _workspace_path(model: type[models.Model]) -> str:
    return getattr(model, "workspace_path", "workspace")


class WorkspaceScoped(models.Model):
    """Base of the side tables that belong to a workspace (audit runs, waivers, discovery, usage).

    Their workspace has no reverse accessor (``related_name="+"``, as on register objects): a side
    table is reached from its own model (``AuditRun.objects.in_workspace(ws)``), never from the
    workspace, so a new domain adds no name to ``Workspace``.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+", verbose_name=_("workspace"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class RegisterObject(models.Model):
    """Base of every object of the register: scoped to a workspace, named by a stable slug.

    Concrete types declare an inner ``Map`` class (see :mod:`mue.core.registry`) that names their
    top-level list in map-as-code files; the registry derives import, export, schema and templates
    from the model fields, so a new type costs a model and nothing else.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+", verbose_name=_("workspace"))
    slug = models.CharField(_("slug"), max_length=100, validators=[slug_validator])
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    # The values of the workspace's custom fields of this type ({field slug: value}); see CustomField.
    custom = models.JSONField(_("custom fields"), default=dict, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["slug"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "slug"], name="%(app_label)s_%(class)s_unique_slug"),
        ]
        # Lists sort by name within a workspace, pages are fetched by (name, id) keyset: this index
        # lets the first, a middle and the last page read only their rows.
        indexes = [models.Index(fields=["workspace", "name", "id"], name="%(class)s_ws_name")]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Remember what was read so the change log can record "before" without re-reading;
        # kept raw (cheap) and turned into a snapshot only when the object is saved.
        instance._db_state = (field_names, values)
        return instance


class CustomFieldKind(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    BOOLEAN = "boolean", _("Yes / no")
    CHOICE = "choice", _("Choice in a list")
    LINK = "link", _("Link to an object")


def custom_field_types() -> list[tuple[str, str]]:
    """The register types a custom field may be added to (every type but custom fields themselves)."""
    from mue.core.registry import registry

    # capfirst keeps the label lazy: the form shows it in the language of the request.
    return [(t.key, capfirst(t.model._meta.verbose_name_plural)) for t in registry if t.key != CustomField.Map.key]


class CustomField(RegisterObject):
    """A field a workspace adds to one register type (Mercator's most requested missing feature).

    Its slug is the key of the value in map files (``custom: {marche-public: "2024-17"}``) and the
    column ``custom.<slug>`` in spreadsheets; its name is the label forms, pages and lists show. The
    values live in the objects' ``custom`` column, checked by the importer like every other value
    (:mod:`mue.core.custom`).
    """

    object_type = models.CharField(_("object type"), max_length=50, choices=custom_field_types,
                                   help_text=_("The type whose objects have this field."))
    kind = models.CharField(_("kind of value"), max_length=10, choices=CustomFieldKind.choices,
                            default=CustomFieldKind.TEXT)
    choices = models.JSONField(_("allowed values"), default=list, blank=True,
                               help_text=_("For a choice: the values one may pick."))
    target_type = models.CharField(_("linked type"), max_length=50, blank=True, choices=custom_field_types,
                                   help_text=_("For a link: the type of the objects it points to."))
    expected = models.BooleanField(_("expected on every object"), default=False,
                                   help_text=_("The audit reports the objects that have no value for it."))
    position = models.PositiveSmallIntegerField(_("position"), default=0,
                                                help_text=_("Order in forms and pages: smaller first."))

    class Map:
        key = "custom_fields"
        singular = "custom_field"
        section = "workspace"  # with the workspace's settings and members, not with a domain
        order = 1  # before every type: the objects of the same file may already hold its values
        exclude = ["custom"]

        @staticmethod
        def check(item: dict) -> list[tuple[str, str]]:
            from mue.core.custom import definition_problems

            return definition_problems(item)

    class Meta(RegisterObject.Meta):
        verbose_name = _("custom field")
        verbose_name_plural = _("custom fields")


class Role(models.TextChoices):
    """What a member may do in a workspace (see :mod:`mue.core.access` for the actions each grants)."""

    OWNER = "owner", _("Owner")
    EDITOR = "editor", _("Editor")
    AUDITOR = "auditor", _("Auditor")
    VIEWER = "viewer", _("Viewer")


class Membership(models.Model):
    """A user's place in a workspace: one role, chosen by the workspace's owners.

    An auditor (the advisor) reads everything and audits; ``can_edit`` also lets them edit the register.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships",
                                  verbose_name=_("workspace"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
                             verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    can_edit = models.BooleanField(_("may also edit the register"), default=False,
                                   help_text=_("For an auditor: edits the register as an editor does."))
    created = models.DateTimeField(_("member since"), auto_now_add=True)

    class Meta:
        ordering = ["workspace", "user"]
        constraints = [models.UniqueConstraint(fields=["workspace", "user"], name="core_membership_unique")]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.workspace.slug}: {self.get_role_display()}"


class ChangeAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")


class ChangeLogEntry(models.Model):
    """One create, update or delete of a register object, whatever path made it."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, null=True, blank=True, related_name="changes", verbose_name=_("workspace")
    )
    time = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    actor_name = models.CharField(_("actor"), max_length=150)
    source = models.CharField(_("source"), max_length=20)
    request_id = models.UUIDField(_("request id"), db_index=True)
    action = models.CharField(_("action"), max_length=10, choices=ChangeAction.choices)
    object_type = models.CharField(_("object type"), max_length=50)
    object_id = models.BigIntegerField(_("object id"))
    object_slug = models.CharField(_("slug"), max_length=100)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    message = models.CharField(_("message"), max_length=300, blank=True)

    class Meta:
        ordering = ["-time", "-id"]
        # An object's history, newest first, without sorting the workspace's whole log.
        indexes = [models.Index(fields=["object_type", "object_id", "time", "id"], name="core_change_object_time")]
        verbose_name = _("change log entry")
        verbose_name_plural = _("change log entries")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_type}:{self.object_slug}"
