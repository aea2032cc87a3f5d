"""Query building blocks shared by rules: what "critical", "live", "personal data" mean in the audit.

Everything here returns querysets, ``Q`` objects or ``Exists`` expressions to combine in SQL, never
lists of ids, so a rule stays one or two queries whatever the workspace size.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce

from mue.applications.models import Application
from mue.audit.rules.base import AuditContext
from mue.core.countries import ADEQUATE, EEA
from mue.dataflows.models import DataFlow
from mue.documents.models import DocumentLink
from mue.services.models import Service

#: A service of criticality 3 (high) or 4 (vital) is "critical" for the audit.
CRITICAL = 3
#: Services that exist for their users today (planned, in design or retired ones are not judged).
LIVE_LIFECYCLES = ("run", "use")
#: Applications the organization uses (sanctioned or not); retired and banned ones are judged apart.
IN_USE_STATUSES = ("approved", "tolerated", "shadow")
#: Applications the organization sanctions.
SANCTIONED_STATUSES = ("approved", "tolerated")
PERSONAL = ("personal", "sensitive", "criminal")
SENSITIVE = ("sensitive", "criminal")
CONFIDENTIAL = ("confidential", "secret")
#: Countries where personal data may go without extra safeguards, in both cases as stored.
SAFE_COUNTRIES = sorted(EEA | ADEQUATE | {c.lower() for c in EEA | ADEQUATE})

AppData = Application.data.through
AppAssets = Application.assets.through
AppDeps = Application.depends_on.through
ServiceApps = Service.applications.through
FlowData = DataFlow.data.through


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def live_services(ctx: AuditContext) -> QuerySet:
    return ctx.objects("service").filter(lifecycle__in=LIVE_LIFECYCLES)


def critical_services(ctx: AuditContext) -> QuerySet:
    return live_services(ctx).filter(criticality__gte=CRITICAL)


def apps_in_use(ctx: AuditContext, statuses: tuple[str, ...] = IN_USE_STATUSES) -> QuerySet:
    return ctx.objects("application").filter(status__in=statuses)


def data_q(prefix: str = "datacategory__", *, personal: tuple[str, ...] | None = None,
           confidential: bool = False) -> Q:
    """Condition on a data category reached through ``prefix``: personal kinds, or confidential.

    ``confidential`` means classified confidential/secret, or sensitive personal data (art. 9/10),
    which is confidential whatever its label.
    """
    if confidential:
        return Q(**{f"{prefix}classification__in": CONFIDENTIAL}) | Q(**{f"{prefix}personal_data__in": SENSITIVE})
    return Q(**{f"{prefix}personal_data__in": personal or PERSONAL})


def app_holds(ctx: AuditContext, condition: Q) -> Q:
    """The application holds a data category meeting ``condition``.

    An ``IN`` over the (usually small) set of matching links rather than a correlated ``EXISTS``:
    the database computes the set once and looks the objects up by key, instead of probing the
    link table once per object (measured 2-5 times faster on 100k flows). When a re-audit judges a
    few objects again (``ctx.focus``), the set is built from their links only.
    """
    return Q(pk__in=_focused(AppData.objects.filter(condition), "application_id", ctx).values("application_id"))


def flow_carries(ctx: AuditContext, condition: Q) -> Q:
    """The flow carries a data category meeting ``condition`` (an ``IN``, as :func:`app_holds`)."""
    return Q(pk__in=_focused(FlowData.objects.filter(condition), "dataflow_id", ctx).values("dataflow_id"))


def _focused(links: QuerySet, owner: str, ctx: AuditContext) -> QuerySet:
    return links if ctx.focus is None else links.filter(**{f"{owner}__in": ctx.focus})


def first_data(condition: Q, through=AppData, owner: str = "application_id"):
    """The slug of one data category meeting ``condition`` (evidence: "e.g. which data")."""
    from django.db.models import Subquery

    return Subquery(through.objects.filter(condition, **{owner: OuterRef("pk")})
                    .order_by("datacategory__slug").values("datacategory__slug")[:1])


def in_critical_service(ref: str = "pk") -> Exists:
    """The application at ``OuterRef(ref)`` is used by a live critical service."""
    return Exists(ServiceApps.objects.filter(application_id=OuterRef(ref), service__criticality__gte=CRITICAL,
                                             service__lifecycle__in=LIVE_LIFECYCLES))


def in_live_service(ref: str = "pk") -> Exists:
    return Exists(ServiceApps.objects.filter(application_id=OuterRef(ref), service__lifecycle__in=LIVE_LIFECYCLES))


def first_critical_service(ref: str = "pk"):
    from django.db.models import Subquery

    return Subquery(ServiceApps.objects.filter(application_id=OuterRef(ref), service__criticality__gte=CRITICAL,
                                               service__lifecycle__in=LIVE_LIFECYCLES)
                    .order_by("-service__criticality", "service__slug").values("service__slug")[:1])


def service_documented(kinds: tuple[str, ...]) -> Q:
    """A document of one of ``kinds`` is about the service, or about one of its applications."""
    own = Exists(DocumentLink.objects.filter(target_type="service", target_id=OuterRef("pk"),
                                             document__kind__in=kinds))
    app_docs = DocumentLink.objects.filter(target_type="application", document__kind__in=kinds).values("target_id")
    via_app = Exists(ServiceApps.objects.filter(service_id=OuterRef("pk"), application_id__in=app_docs))
    return Q(own) | Q(via_app)


def object_documented(target_type: str, kinds: tuple[str, ...]) -> Exists:
    return Exists(DocumentLink.objects.filter(target_type=target_type, target_id=OuterRef("pk"),
                                              document__kind__in=kinds))


def flow_endpoint(prefix: str) -> Coalesce:
    """The slug of a flow's source or target, whatever its type."""
    return Coalesce(f"{prefix}_application__slug", f"{prefix}_unit__slug", f"{prefix}_party__slug",
                    f"{prefix}_asset__slug")


def outside_safe_countries(field: str) -> Q:
    """``field`` holds a known country outside the EEA and adequacy countries."""
    return ~Q(**{field: ""}) & ~Q(**{f"{field}__in": SAFE_COUNTRIES})


def general_document(ctx: AuditContext, kinds: tuple[str, ...]) -> Exists:
    """The workspace has a document of ``kinds`` linked to no object: it covers the whole organization.

    Used for documents that are often written once for everything (architecture, continuity plan,
    register of administrator accounts), never for per-service procedures or backups.
    """
    documents = ctx.objects("document").filter(kind__in=kinds)
    return Exists(documents.exclude(Exists(DocumentLink.objects.filter(document_id=OuterRef("pk")))))
