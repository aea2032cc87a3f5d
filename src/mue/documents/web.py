"""What documents add to the web pages: the "File" panel of a document and its download/upload URLs."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from mue.documents import views
from mue.web.pages import pages


def _file_tab(request, workspace, obj, otype):
    return views.render_file(request, workspace, obj, otype, error=getattr(request, "mue_document_file_error", ""))


pages.add_urls([
    path("documents/<str:slug>/file/", views.document_file, name="document_file"),
    path("documents/<str:slug>/file/upload/", views.document_file_upload, name="document_file_upload"),
    path("documents/<str:slug>/file/remove/", views.document_file_remove, name="document_file_remove"),
])
pages.add_tab("file", _("File"), _file_tab, types=["document"], order=10)
