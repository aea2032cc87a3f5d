"""Child process of a measured step: ``python -m benchmarks.worker module:function '{"kwarg": ...}'``.

Sets Django up on ``DATABASE_URL`` (plus a read-only ``"source"`` alias from ``BENCH_SOURCE_URL``),
calls the function, and prints one JSON line: the dict it returned and this process's peak RSS.
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import sys


def main(argv: list[str]) -> None:
    target, kwargs = argv[0], json.loads(argv[1]) if len(argv) > 1 else {}
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mue.settings")
    from django.conf import settings

    source = os.environ.get("BENCH_SOURCE_URL")
    if source:
        import dj_database_url

        settings.DATABASES["source"] = dj_database_url.parse(source)
    import django

    django.setup()
    module_name, function_name = target.split(":")
    data = getattr(importlib.import_module(module_name), function_name)(**kwargs)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    sys.stdout.write("\n" + json.dumps({"data": data, "peak_rss_mb": round(peak_kb / 1024, 1)}) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
