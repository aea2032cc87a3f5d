from django.contrib import admin

from mue.documents.models import Document, DocumentLink


class DocumentLinkInline(admin.TabularInline):
    model = DocumentLink
    extra = 1


# The generic admin of the registry serves documents; links are edited inline with them.
admin.site._registry[Document].inlines = [DocumentLinkInline]
