"""Documents' own signal handlers: a document's links follow the objects they name, and a link added,
changed or removed outside the importer (admin inline, ORM) is logged as an update of the document's
``about`` key. Connected from :meth:`mue.documents.apps.DocumentsConfig.ready`: the documents app
depends on core, never the other way round."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from mue.core import changelog
from mue.core.models import RegisterObject, Workspace, deleting_workspaces
from mue.core.registry import registry
from mue.documents import files
from mue.documents.models import Document, DocumentLink


def _is_register_object(sender) -> bool:
    return isinstance(sender, type) and issubclass(sender, RegisterObject) and not sender._meta.abstract


def drop_document_links(sender, instance, **kwargs) -> None:
    """Links of documents to a deleted object go with it (they are not a foreign key)."""
    if not _is_register_object(sender) or instance.workspace_id in deleting_workspaces:
        return
    DocumentLink.objects.filter(target_type=registry.by_model(sender).singular, target_id=instance.pk).delete()


def _log_document_link(link: DocumentLink, gone: str | None, came: str | None) -> None:
    """Record the change of the document's ``about`` key as the importer does (``type:id`` before and after)."""
    document = Document.objects.filter(pk=link.document_id).values_list("slug", "workspace_id").first()
    if document is None or document[1] in deleting_workspaces:
        return
    now = {f"{t}:{i}" for t, i in DocumentLink.objects.filter(document_id=link.document_id)
           .values_list("target_type", "target_id")}
    before = (now - {came}) | ({gone} if gone else set())
    if before == now:
        return
    changelog.record("update", "document", link.document_id, document[0], document[1],
                     {"about": sorted(before)}, {"about": sorted(now)})


def _target(link: DocumentLink) -> str:
    return f"{link.target_type}:{link.target_id}"


def remember_document_link(sender, instance, raw=False, **kwargs) -> None:
    if not raw and instance.pk:
        old = type(instance).objects.filter(pk=instance.pk).values_list("target_type", "target_id").first()
        instance._old_target = f"{old[0]}:{old[1]}" if old else None


def log_document_link_saved(sender, instance, created, raw=False, **kwargs) -> None:
    if not raw:
        _log_document_link(instance, None if created else getattr(instance, "_old_target", None), _target(instance))


def log_document_link_deleted(sender, instance, **kwargs) -> None:
    _log_document_link(instance, _target(instance), None)


def delete_document_file(sender, instance, **kwargs) -> None:
    """A deleted document's file goes from the storage once the deletion commits."""
    if instance.file:
        files.delete_on_commit(instance.file.name)


def delete_workspace_files(sender, instance, **kwargs) -> None:
    """A deleted workspace's files go with it (its documents are deleted in bulk, without signals)."""
    folder = files.workspace_folder(instance.pk)
    transaction.on_commit(lambda: files.delete_folder(folder))


def connect() -> None:
    uid = "mue.documents.signals."
    pre_delete.connect(drop_document_links, dispatch_uid=uid + "drop")
    pre_save.connect(remember_document_link, sender=DocumentLink, dispatch_uid=uid + "remember")
    post_save.connect(log_document_link_saved, sender=DocumentLink, dispatch_uid=uid + "saved")
    post_delete.connect(log_document_link_deleted, sender=DocumentLink, dispatch_uid=uid + "deleted")
    post_delete.connect(delete_document_file, sender=Document, dispatch_uid=uid + "file")
    post_delete.connect(delete_workspace_files, sender=Workspace, dispatch_uid=uid + "workspace-files")
