"""Countries as GDPR sees them: the EU/EEA, and countries with an EU adequacy decision.

Kept in the package (no network at run time). Sources: EU member states and EEA; the European
Commission's adequacy decisions under GDPR art. 45 (Andorra, Argentina, Canada for commercial
organizations, Faroe Islands, Guernsey, Israel, Isle of Man, Japan, Jersey, New Zealand, Republic of
Korea, Switzerland, United Kingdom, Uruguay, the United States for organizations certified under the
EU-US Data Privacy Framework, and the European Patent Organisation). The US adequacy depends on the
recipient's certification, so "US" is not adequate by default here; a workspace states DPF
certification per vendor where it matters.
"""

from __future__ import annotations

EU = frozenset("AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split())
EEA = EU | frozenset({"IS", "LI", "NO"})
ADEQUATE = frozenset({"AD", "AR", "CA", "FO", "GG", "IL", "IM", "JP", "JE", "NZ", "KR", "CH", "GB", "UY"})
#: Conditionally adequate: only for recipients certified under a framework (EU-US Data Privacy Framework).
CONDITIONAL = frozenset({"US"})


def is_eu(code: str | None) -> bool:
    """In the European Economic Area (GDPR applies directly)."""
    return bool(code) and code.upper() in EEA


def is_eu_or_adequate(code: str | None) -> bool:
    """Personal data may go there without extra safeguards (EEA or an adequacy decision)."""
    return bool(code) and (code.upper() in EEA or code.upper() in ADEQUATE)


def transfer_zone(code: str | None) -> str:
    """"eea", "adequate", "conditional" (needs certification or safeguards), "third-country" or "unknown"."""
    if not code:
        return "unknown"
    code = code.upper()
    if code in EEA:
        return "eea"
    if code in ADEQUATE:
        return "adequate"
    if code in CONDITIONAL:
        return "conditional"
    return "third-country"
