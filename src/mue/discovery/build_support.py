"""Data the catalogue's build and its tests share: the Public Suffix List's private section (shared hosting)."""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def shared_suffix_samples() -> tuple[str, ...]:
    """Every private suffix of the Public Suffix List shipped with ``publicsuffixlist`` (wildcards as their base)."""
    import publicsuffixlist

    data = Path(publicsuffixlist.__file__).with_name("public_suffix_list.dat").read_text(encoding="utf-8")
    private = data.split("===BEGIN PRIVATE DOMAINS===", 1)[1]
    found = set()
    for line in private.splitlines():
        line = line.strip()
        if line and not line.startswith(("//", "!")):
            line = line.removeprefix("*.")
            found.add(line if line.isascii() else line.encode("idna").decode("ascii"))
    return tuple(sorted(found))
