"""The analyses of the API: audit runs, findings, waivers and answers; impact, SPOF and lineage;
discovery runs; the change log; a whole map in and out. Each module is one router with the same
permission gate (:func:`mue.api.auth.workspace_for`) and error body as the register endpoints, and
calls the engine the pages and the commands call: nothing is computed twice.

Long work (an audit, a discovery run) is a job (:mod:`mue.jobs`): the call answers ``202`` with the
job and its status URL (``GET /workspaces/{workspace}/jobs/{id}``), which a script polls.
"""

from __future__ import annotations

from ninja import Router


def analysis_routers() -> list[Router]:
    from mue.api.analyses import audit, changes, discovery, graph, jobs, maps

    return [jobs.router, audit.router, graph.router, discovery.router, changes.router, maps.router]
