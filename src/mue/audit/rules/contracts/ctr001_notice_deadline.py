import datetime as dt
from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule

WINDOW_DAYS = 60


@register
class NoticeDeadlineSoon(Rule):
    id = "CTR-001"
    domain = "contracts"
    severity = "high"
    object_type = "contract"
    title = _("Notice deadline of a tacit renewal within 60 days")
    rationale = _("A contract renewed by tacit agreement commits the organization for another term unless notice "
                  "is given before the deadline; missing it by a day costs a year.")
    remediation = _("Decide now whether to renew, renegotiate or terminate, and send the notice before the "
                    "deadline if needed.")
    evidence = {"vendor": "vendor__slug", "end": "end", "notice_days": "notice_days",
                "annual_amount": "annual_amount"}

    def scope(self, ctx):
        return ctx.objects("contract").filter(tacit_renewal=True, end__gte=ctx.as_of)

    def failing(self, ctx, scope):
        # deadline = end - notice_days. Date-minus-integer arithmetic differs between SQLite and
        # PostgreSQL, so the condition is spelled per distinct notice period (a handful of values):
        # as_of <= end - n <= as_of + 60  <=>  end in [as_of + n, as_of + 60 + n].
        periods = set(scope.order_by().values_list("notice_days", flat=True).distinct())
        if not periods:
            return scope.none()
        window = dt.timedelta(days=WINDOW_DAYS)
        conditions = []
        for n in periods:
            days = dt.timedelta(days=n or 0)
            match = Q(notice_days__isnull=True) if n is None else Q(notice_days=n)
            conditions.append(match & Q(end__gte=ctx.as_of + days, end__lte=ctx.as_of + window + days))
        return scope.filter(reduce(or_, conditions))

    def enrich(self, evidence, ctx):
        end = evidence.get("end")
        if end is not None:
            evidence["notice_deadline"] = end - dt.timedelta(days=evidence.get("notice_days") or 0)
        return evidence
