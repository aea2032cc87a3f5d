from django.contrib import admin

from mue.documents.models import Document, DocumentLink


class DocumentLinkInline(admin.TabularInline):
    model = DocumentLink
    extra = 1

    def get_queryset(self, request):
        # Each row's label names its document: one join instead of a query per link.
        return super().get_queryset(request).select_related("document")


# The generic admin of the registry serves documents; links are edited inline with them.
admin.site._registry[Document].inlines = [DocumentLinkInline]
