"""Risk score of a SaaS service, in the manner of the commercial cloud-app catalogues.

Four sub-scores, each from 0 (no known risk) to 10 (highest risk), are the mean of their factors' risks:

* general: the vendor's country (inside the EU/EEA or with an adequacy decision, or not) and where data is hosted;
* security: single sign-on, multi-factor authentication, encryption at rest;
* compliance: certifications (ISO 27001, SOC 2, HDS, SecNumCloud...);
* legal: a GDPR data processing agreement, data ownership kept by the customer, data export (reversibility).

A known good factor counts 0, a known bad one 1, an unknown one :data:`UNKNOWN_RISK`: unknown is never good.
The score is the weighted mean of the sub-scores; a workspace tunes the weights and may override one service's
score with a note.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext

from mue.core.countries import is_eu_or_adequate, transfer_zone
from mue.discovery.catalogue import CatalogueService

DEFAULT_WEIGHTS = {"general": 1.0, "security": 1.0, "compliance": 1.0, "legal": 1.0}
UNKNOWN_RISK = 0.6
# Certifications worth the most (a sovereign qualification), then the usual ones.
STRONG_CERTS = {"secnumcloud", "hds"}
USUAL_CERTS = {"iso27001", "soc2", "iso27018", "c5", "eidas", "cspn", "pci-dss"}


@dataclass
class RiskScore:
    score: float
    subscores: dict[str, float]
    unknown: list[str] = field(default_factory=list)
    overridden: bool = False
    note: str = ""

    def as_dict(self) -> dict:
        return {"score": self.score, "subscores": self.subscores, "unknown": self.unknown,
                "overridden": self.overridden, "note": self.note}


def _adequate(country: str) -> bool | None:
    if not country:
        return None
    return is_eu_or_adequate(country)


def _country_risk(country: str) -> float | None:
    # A conditionally adequate country (US: only for Data Privacy Framework certified recipients) is half a risk.
    return {"eea": 0.0, "adequate": 0.0, "conditional": 0.5, "third-country": 1.0}.get(transfer_zone(country))


def _bool_risk(value: object) -> float | None:
    if value is True:
        return 0.0
    if value is False:
        return 1.0
    return None


def factors(service: CatalogueService) -> dict[str, dict[str, float | None]]:
    """Each factor's risk (0 good, 1 bad) or None when unknown, by sub-score."""
    attrs = service.attributes
    locations = [loc.upper() for loc in service.data_location]
    if not locations:
        hosting = None
    elif any(loc == "EU" or _adequate(loc) for loc in locations):
        hosting = 0.0 if all(loc == "EU" or _adequate(loc) for loc in locations) else 0.3  # an EU option exists
    else:
        hosting = 1.0
    certs = {c.lower() for c in attrs.get("certifications", [])} if "certifications" in attrs else None
    if certs is None:
        cert_risk = None
    elif certs & STRONG_CERTS:
        cert_risk = 0.0
    elif certs & USUAL_CERTS:
        cert_risk = 0.2
    else:
        cert_risk = 1.0
    return {
        "general": {"vendor_country": _country_risk(service.vendor_country),
                    "data_location": hosting},
        "security": {"sso": _bool_risk(attrs.get("sso")), "mfa": _bool_risk(attrs.get("mfa")),
                     "encryption_at_rest": _bool_risk(attrs.get("encryption_at_rest"))},
        "compliance": {"certifications": cert_risk},
        "legal": {"gdpr_dpa": _bool_risk(attrs.get("gdpr_dpa")),
                  "data_ownership": _bool_risk(attrs.get("data_ownership")),
                  "data_export": _bool_risk(attrs.get("data_export"))},
    }


def clean_weights(weights: dict | None) -> dict[str, float]:
    """The workspace's weights over the defaults; negative or unknown keys are refused."""
    merged = dict(DEFAULT_WEIGHTS)
    for key, value in (weights or {}).items():
        if key not in DEFAULT_WEIGHTS:
            raise ValueError(gettext("unknown risk weight %(key)r (known: %(known)s)")
                             % {"key": key, "known": ", ".join(DEFAULT_WEIGHTS)})
        if float(value) < 0:
            raise ValueError(gettext("risk weight %(key)r must not be negative") % {"key": key})
        merged[key] = float(value)
    if sum(merged.values()) <= 0:
        raise ValueError(gettext("at least one risk weight must be positive"))
    return merged


def score(service: CatalogueService, weights: dict | None = None,
          override: tuple[Decimal | float, str] | None = None) -> RiskScore:
    """The service's risk score (0-10, higher is riskier), or the workspace's override of it."""
    w = clean_weights(weights)
    subscores: dict[str, float] = {}
    unknown: list[str] = []
    for group, items in factors(service).items():
        values = []
        for name, risk in items.items():
            if risk is None:
                unknown.append(name)
                risk = UNKNOWN_RISK
            values.append(risk)
        subscores[group] = round(10 * sum(values) / len(values), 1)
    total = round(sum(subscores[g] * w[g] for g in subscores) / sum(w.values()), 1)
    if override is not None:
        return RiskScore(score=float(override[0]), subscores=subscores, unknown=unknown, overridden=True,
                         note=override[1])
    return RiskScore(score=total, subscores=subscores, unknown=unknown)
