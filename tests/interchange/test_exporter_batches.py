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
