"""Export costs a constant number of queries, whatever the number of objects of each type."""

import copy

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mue.core.models import Workspace
from mue.interchange.exporter import export_workspace
from mue.interchange.importer import import_document
from tests.helpers import BASE_DOCUMENT


def scaled(n: int) -> dict:
    """BASE_DOCUMENT with n copies of every application, service, flow and document."""
    doc = copy.deepcopy(BASE_DOCUMENT)
    doc["workspace"] = {"slug": f"ws{n}", "name": f"WS {n}"}
    for i in range(n):
        doc["applications"].append({"slug": f"app-{i}", "name": f"App {i}", "kind": "saas", "vendor": "editeur-x",
                                    "depends_on": ["portail"], "data": ["familles"]})
        doc["services"].append({"slug": f"svc-{i}", "name": f"Svc {i}", "applications": [f"app-{i}", "portail"],
                                "units": ["dgs"], "needs": {"integrity": 2}})
        doc["flows"].append({"from": f"app-{i}", "to": "unit:dgs", "data": ["familles"]})
        doc.setdefault("documents", []).append({"slug": f"doc-{i}", "name": f"Doc {i}", "kind": "procedure",
                                                "about": [f"service:svc-{i}", f"application:app-{i}"]})
        doc.setdefault("costs", []).append({"slug": f"cost-{i}", "name": f"Cost {i}", "amount": 10 * i,
                                            "year": 2025, "kind": "licence", "application": f"app-{i}"})
    return doc


def count_export_queries(slug: str) -> tuple[int, dict]:
    ws = Workspace.objects.get(slug=slug)
    with CaptureQueriesContext(connection) as queries:
        document = export_workspace(ws)
    return len(queries), document


def test_export_query_count_is_constant(db):
    import_document(scaled(2))
    import_document(scaled(40))
    small, small_doc = count_export_queries("ws2")
    large, large_doc = count_export_queries("ws40")
    assert len(large_doc["applications"]) == 42 and len(small_doc["applications"]) == 4
    assert small == large
