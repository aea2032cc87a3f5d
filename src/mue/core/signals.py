"""ORM path into the change log: saves, deletes and many-to-many edits of register objects.

Document links are logged by :mod:`mue.documents.signals` (core imports nothing from the domains)."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from mue.core import changelog
from mue.core.models import RegisterObject, deleting_workspaces
from mue.core.registry import registry


def _is_register_object(sender) -> bool:
    return isinstance(sender, type) and issubclass(sender, RegisterObject) and not sender._meta.abstract


@receiver(post_save)
def log_save(sender, instance, created, raw=False, **kwargs):
    if raw or not _is_register_object(sender):
        return
    after = changelog.snapshot(instance)
    before = None if created else getattr(instance, "_saved_snapshot", None) or changelog.loaded_snapshot(instance)
    instance._saved_snapshot = after
    if not created and before is not None:
        before, after = changelog.diff(before, after)
        if not after:
            return  # a save that changed nothing logs nothing
    action = "create" if created else "update"
    changelog.record(action, registry.by_model(sender).singular, instance.pk, instance.slug,
                     instance.workspace_id, before, after)


@receiver(post_delete)
def log_delete(sender, instance, **kwargs):
    if not _is_register_object(sender) or instance.workspace_id in deleting_workspaces:
        return
    changelog.record("delete", registry.by_model(sender).singular, instance.pk, instance.slug,
                     instance.workspace_id, changelog.snapshot(instance), None)


@receiver(m2m_changed)
def log_m2m(sender, instance, action, reverse, model, pk_set, **kwargs):
    if not isinstance(instance, RegisterObject):
        return
    if reverse:
        _log_reverse_m2m(sender, instance, action, model, pk_set)
        return
    field = next((f for f in type(instance)._meta.many_to_many if f.remote_field.through is sender), None)
    if field is None:
        return
    manager = getattr(instance, field.name)
    if action in ("pre_add", "pre_remove", "pre_clear"):
        instance._m2m_before = sorted(manager.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    before = getattr(instance, "_m2m_before", None)
    after = sorted(manager.values_list("pk", flat=True))
    if before == after:
        return
    changelog.record("update", registry.by_model(type(instance)).singular, instance.pk, instance.slug,
                     instance.workspace_id, {field.name: before}, {field.name: after})



def _log_reverse_m2m(sender, instance, action, model, pk_set) -> None:
    """An edit from the other side (``asset.applications.add(app)``) changes the field of each object
    on the owning side: it is logged there, as if made through that field."""
    field = next((f for f in model._meta.many_to_many if f.remote_field.through is sender), None)
    if field is None or not _is_register_object(model):
        return
    owner, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"

    def links(owners) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {pk: [] for pk in owners}
        for a, b in sender.objects.filter(**{f"{owner}__in": list(owners)}).values_list(owner, target):
            out[a].append(b)
        return {pk: sorted(targets) for pk, targets in out.items()}

    if action in ("pre_add", "pre_remove", "pre_clear"):
        owners = pk_set if pk_set is not None else set(
            sender.objects.filter(**{target: instance.pk}).values_list(owner, flat=True))
        instance._m2m_reverse_before = links(owners)
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    before = getattr(instance, "_m2m_reverse_before", {})
    after = links(before)
    singular = registry.by_model(model).singular
    for pk, slug, workspace_id in model.objects.filter(pk__in=list(before)).values_list("pk", "slug", "workspace_id"):
        if before[pk] != after[pk] and workspace_id not in deleting_workspaces:
            changelog.record("update", singular, pk, slug, workspace_id, {field.name: before[pk]},
                             {field.name: after[pk]})


@receiver(post_delete, sender="core.CustomField")
def forget_custom_values(sender, instance, **kwargs):
    """A deleted custom field takes its values with it (each object's change logged), so that no file
    exported afterwards holds a value of a field the workspace no longer has."""
    if instance.workspace_id in deleting_workspaces:
        return
    from mue.core.custom import forget_values

    forget_values(instance)
