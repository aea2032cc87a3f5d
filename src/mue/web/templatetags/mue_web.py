"""Template tags of the generic pages: query strings that keep the filters while changing one thing."""

from __future__ import annotations

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

_PAGING = ("after", "before", "page")


def _query(request, drop: tuple[str, ...], **changes) -> str:
    params = request.GET.copy()
    for key in drop:
        params.pop(key, None)
    for key, value in changes.items():
        params.pop(key, None)
        if value is not None:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def query_string_without(context, *names: str) -> str:
    """The current query string without ``names`` (an export keeps the filters, not the page)."""
    return _query(context["request"], names)


@register.simple_tag(takes_context=True)
def sort_query(context, key: str, current: str, descending: bool) -> str:
    """Sort by ``key``; clicking the current sort column flips its direction. Back to the first page."""
    flipped = f"-{key}" if key == current and not descending else key
    return _query(context["request"], _PAGING, sort=flipped)


@register.simple_tag(takes_context=True)
def page_query(context, name: str | None, value: str | None) -> str:
    """A page link: ``after``/``before`` a cursor, ``page=last``, or the first page (both None)."""
    changes = {name: value} if name else {}
    return _query(context["request"], _PAGING, **changes)


@register.simple_tag(takes_context=True)
def hidden_query_fields(context, *skip: str):
    """Hidden inputs repeating the current query (a small GET form changes one parameter only)."""
    request = context["request"]
    pairs = [(k, v) for k in request.GET for v in request.GET.getlist(k) if k not in skip]
    return format_html_join("", '<input type="hidden" name="{}" value="{}">', pairs) if pairs else mark_safe("")


@register.filter
def getfield(form, name: str):
    """``form|getfield:name``: a bound field by name (forms whose fields are laid out in groups)."""
    return form[name]
