"""What comments add to the web pages: their URLs, the "Comments" tab of every object, and (since
the web layer registers no page of its own through here) the workspace history's navigation entry."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from mue.comments import views
from mue.comments.services import COMMENT_TYPE
from mue.web.history import register_logged_type
from mue.web.pages import pages

pages.add_urls([  # the numbered ones first: "comments/5/edit/" would also read as a type and a slug
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("comments/<str:type_key>/<str:slug>/", views.comment_list, name="comments"),
    path("comments/<str:type_key>/<str:slug>/add/", views.comment_add, name="comment_add"),
])
pages.add_tab("comments", _("Comments"), views.render_comments, order=50)
pages.add_nav("workspace", _("History"), "web:workspace_history", order=20)
register_logged_type(COMMENT_TYPE, _("comment"), {"body": _("comment")})
