"""A deleted register object takes its comments with it (they name it by type and id, not by a
foreign key). A workspace being deleted takes them through its own cascade, unlogged."""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from mue.core.models import RegisterObject, deleting_workspaces
from mue.core.registry import registry


@receiver(post_delete)
def drop_comments(sender, instance, **kwargs) -> None:
    if not (isinstance(sender, type) and issubclass(sender, RegisterObject) and not sender._meta.abstract):
        return
    if instance.workspace_id in deleting_workspaces:
        return
    from mue.comments.services import drop_comments_of

    drop_comments_of(registry.by_model(sender).singular, instance.pk, instance.slug, instance.workspace_id)
