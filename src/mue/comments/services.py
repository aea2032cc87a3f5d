"""Writing comments: who may, and the change-log entry of each create, edit and delete.

Who may comment: every member may **read** the comments of an object (action ``view``); members who
may **change** the register (owners, editors, auditors granted editing) or **audit** it (auditors) may
write them, so the advisor comments on the register without editing it. A viewer reads only. Only
its author edits or deletes a comment (and only while still allowed to comment).

Comments are logged in the one change log as the type ``comment``: the entry's slug is
``"<type>:<slug>"`` of the object commented on, its before/after ``{"body": ...}``.
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils import timezone

from mue.comments.models import Comment
from mue.core import changelog
from mue.core.access import Action
from mue.core.registry import ObjectType, registry

COMMENT_TYPE = "comment"
WRITE_ACTIONS = frozenset({Action.CHANGE, Action.AUDIT})


def may_comment(actions: set[str] | frozenset[str]) -> bool:
    """Whether a member with these actions in a workspace may write comments there."""
    return bool(WRITE_ACTIONS & set(actions))


def _slug(target_type: str, target_slug: str) -> str:
    return f"{target_type}:{target_slug}"


def comments_on(obj: models.Model, otype: ObjectType) -> models.QuerySet[Comment]:
    return Comment.objects.filter(workspace_id=obj.workspace_id, target_type=otype.singular, target_id=obj.pk)


def target_of(comment: Comment) -> tuple[ObjectType, models.Model]:
    """The object a comment is about (it exists: its comments go when it is deleted)."""
    otype = registry.by_singular(comment.target_type)
    return otype, otype.model.objects.get(pk=comment.target_id, workspace_id=comment.workspace_id)


@transaction.atomic
def add_comment(obj: models.Model, otype: ObjectType, user: Any, body: str) -> Comment:
    comment = Comment.objects.create(workspace_id=obj.workspace_id, target_type=otype.singular, target_id=obj.pk,
                                     author=user, author_name=user.get_username(), body=body)
    changelog.record("create", COMMENT_TYPE, comment.pk, _slug(otype.singular, obj.slug), obj.workspace_id,
                     None, {"body": body})
    return comment


@transaction.atomic
def edit_comment(comment: Comment, target_slug: str, body: str) -> Comment:
    if body == comment.body:
        return comment  # nothing changed, nothing logged
    before = comment.body
    comment.body, comment.edited = body, timezone.now()
    comment.save(update_fields=["body", "edited"])
    changelog.record("update", COMMENT_TYPE, comment.pk, _slug(comment.target_type, target_slug),
                     comment.workspace_id, {"body": before}, {"body": body})
    return comment


@transaction.atomic
def delete_comment(comment: Comment, target_slug: str) -> None:
    changelog.record("delete", COMMENT_TYPE, comment.pk, _slug(comment.target_type, target_slug),
                     comment.workspace_id, {"body": comment.body}, None)
    comment.delete()


def drop_comments_of(target_type: str, target_id: int, target_slug: str, workspace_id: int) -> None:
    """The comments of a deleted object go with it, each logged as deleted (one insert for all)."""
    rows = list(Comment.objects.filter(workspace_id=workspace_id, target_type=target_type, target_id=target_id)
                .values_list("pk", "body"))
    if not rows:
        return
    changelog.record_many(workspace_id, [("delete", COMMENT_TYPE, pk, _slug(target_type, target_slug),
                                          {"body": body}, None) for pk, body in rows])
    Comment.objects.filter(pk__in=[pk for pk, _body in rows]).delete()
