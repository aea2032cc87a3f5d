"""Finding a node from what a person types: ``type:slug`` or a bare slug when it is unambiguous."""

from __future__ import annotations

from django.utils.translation import gettext as _

from mue.core.registry import registry
from mue.graph.build import NODE_TYPES, Graph

# Usual words the command line accepts besides the registry's names (singular and plural map key).
_EXTRA_WORDS = {"app": "application", "apps": "application", "vendor": "party", "vendors": "party"}


def aliases() -> dict[str, str]:
    """Every accepted spelling of a node type: its registry singular name and plural key, a few usual words."""
    out = {}
    for type_name in NODE_TYPES:
        otype = registry.by_singular(type_name)
        out[otype.singular] = out[otype.key] = otype.singular
    out.update({word: t for word, t in _EXTRA_WORDS.items() if t in NODE_TYPES})
    return out


class ResolveError(LookupError):
    """The reference names no object, or several."""

    def __init__(self, message: str, candidates: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.candidates = candidates or []


def node_type(name: str) -> str:
    """The node type of a spelling ("apps", "application"...); ResolveError if unknown."""
    try:
        return aliases()[name.strip().lower()]
    except KeyError:
        raise ResolveError(_("unknown type '%(type)s' (one of: %(types)s)")
                           % {"type": name, "types": ", ".join(NODE_TYPES)}) from None


def resolve(graph: Graph, reference: str, type_name: str | None = None) -> int:
    """The node named by ``reference`` (``type:slug`` or ``slug``), optionally of ``type_name``."""
    if ":" in reference and type_name is None:
        type_name, reference = reference.split(":", 1)
    if type_name is not None:
        wanted = node_type(type_name)
        node = graph.find(wanted, reference)
        if node is None:
            raise ResolveError(_("no %(type)s '%(slug)s' in workspace '%(workspace)s'")
                               % {"type": wanted, "slug": reference, "workspace": graph.workspace_slug})
        return node
    found = [node for t in NODE_TYPES if (node := graph.find(t, reference)) is not None]
    if not found:
        raise ResolveError(_("no object '%(slug)s' in workspace '%(workspace)s'")
                           % {"slug": reference, "workspace": graph.workspace_slug})
    if len(found) > 1:
        keys = [graph.key(node) for node in found]
        raise ResolveError(_("'%(slug)s' is ambiguous: say which of %(keys)s")
                           % {"slug": reference, "keys": ", ".join(keys)}, keys)
    return found[0]
