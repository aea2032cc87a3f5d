"""The slugs an export reads: one query for every referenced type, split only beyond the parameter limit."""

from mue.interchange.exporter import QUERY_IDS, _id_batches


def test_a_page_of_references_is_one_query():
    assert _id_batches({"application": [1, 2], "asset": [3]}) == [[("application", [1, 2]), ("asset", [3])]]
    assert _id_batches({}) == []


def test_beyond_the_limit_the_ids_are_split_and_none_is_lost():
    ids = {"application": list(range(QUERY_IDS + 5)), "asset": list(range(10))}
    batches = _id_batches(ids)
    assert len(batches) == 2 and all(sum(len(p) for _k, p in b) <= QUERY_IDS for b in batches)
    got: dict[str, list[int]] = {}
    for batch in batches:
        for kind, piece in batch:
            got.setdefault(kind, []).extend(piece)
    assert got == ids


def test_an_export_beyond_the_limit_gives_the_same_items(db, monkeypatch):
    """The split path (forced with a tiny limit) reads the same many-to-many pairs and slugs."""
    from mue.applications.models import Application
    from mue.core.registry import registry
    from mue.demo import load_demo
    from mue.interchange import exporter

    load_demo("valmont")
    otype = registry["applications"]
    rows = Application.objects.filter(workspace__slug="valmont").order_by("slug")
    whole = exporter.export_items(otype, rows)
    assert any(item.get("assets") or item.get("data") for item in whole)  # pairs to read
    monkeypatch.setattr(exporter, "QUERY_IDS", 3)
    assert exporter.export_items(otype, rows) == whole
