"""The audit of the demo commune finds every problem planted in it (docs/demo.md, "Planted problems").

Each planted problem is mapped to the rule(s) that must report it and the object(s) concerned; the
healthy objects named in docs/demo.md must not be reported by the same rules.
"""

import pytest
from django.db import transaction

from mue.audit.engine import run_audit
from mue.core.models import Workspace
from mue.demo import load_demo, today

pytestmark = pytest.mark.django_db

# id in docs/demo.md -> (rule id, "type:slug") pairs the audit must report.
PLANTED = {
    "P01": [("DOC-001", "service:videoprotection"), ("DOC-002", "service:videoprotection"),
            ("CON-006", "service:videoprotection")],
    "P02": [("CON-001", "service:police-municipale")],
    "P03": [("DAT-001", "flow:rh-vers-mutuelle-courriel")],
    "P04": [("DAT-003", "application:mailchimp"), ("DAT-007", "party:mailchimp"),
            ("CTR-004", "application:mailchimp")],
    "P05": [("CTR-001", "contract:contrat-citysens")],
    "P06": [("USE-001", "application:whatsapp-elus"), ("USE-001", "application:google-drive-periscolaire"),
            ("USE-001", "application:dropbox-urbanisme"), ("USE-001", "application:chatgpt"),
            ("USE-003", "application:doodle")],
    "P07": [("CST-007", "application:microsoft-365")],
    "P08": [("CST-005", "application:ged-alfresco")],
    "P09": [("DOC-003", "application:gmao")],
    "P10": [("DOC-004", "service:cantine-periscolaire")],
    "P11": [("DOC-006", "document:proc-mediatheque")],
    "P12": [("CON-004", "application:logiciel-finances")],
    "P13": [("SEC-001", "application:portail-famille")],
    "P14": [("SEC-003", "asset:capteurs-qualite-air")],
    "P15": [("SEC-002", "asset:tablettes-elus"), ("SEC-011", "asset:tablettes-elus")],
    "P16": [("DAT-008", "data_category:usagers-mediatheque")],
    "P17": [("CST-001", "application:teams"), ("CST-001", "application:zoom")],
    "P18": [("CST-003", "cost:cout-forfaits-mobiles")],
    "P19": [("CTR-002", "application:logiciel-ccas")],
    "P20": [("CTR-003", "contract:contrat-telephonie")],
    "P21": [("TOU-001", "terms:cgu-site-web")],
    "P22": [("TOU-002", "content_licence:photos-banque-images"),
            ("TOU-002", "content_licence:photos-evenements")],
    "P23": [("CON-003", "service:urbanisme")],
    "P24": [("TOU-006", "terms:cgu-microsoft-365")],
    "P25": [("TOU-007", "terms:cgu-mailchimp")],
    "P26": [("TOU-008", "content_licence:photos-wikimedia-guide")],
    "P27": [("SEC-010", "asset:capteurs-qualite-air")],
    "P28": [("SEC-004", "asset:eclairage-connecte")],
    "P29": [("SKL-002", "service:sauvegarde")],
    "P30": [("SKL-003", "service:cantine-periscolaire"), ("SKL-002", "service:cantine-periscolaire")],
    "P31": [("SKL-004", "unit:mediatheque")],
    "P32": [("DAT-101", "processing_activity:newsletter")],
    "P33": [("DAT-107", "processing_activity:urbanisme")],
    "P34": [("CON-014", "service_level:sla-cantine-periscolaire")],
    "P35": [("CON-010", "service_level:sla-police-municipale")],
    "P36": [("CON-012", "service_level:sla-cantine-periscolaire")],
}

# Healthy on purpose (docs/demo.md): these rules must not report these objects.
HEALTHY = [
    ("DOC-001", "service:etat-civil"), ("DOC-002", "service:etat-civil"), ("CON-001", "service:etat-civil"),
    ("CON-003", "service:etat-civil"), ("SEC-001", "application:logiciel-police"),
    ("USE-001", "application:doodle"), ("DAT-007", "party:citoyens"),
    # Unbalanced, but under the website only (criticality 2); an enrolled personal device with its charter.
    ("TOU-006", "terms:cgu-facebook"), ("TOU-006", "terms:cgu-mailchimp"),
    ("SEC-002", "asset:smartphones-personnels-astreinte"), ("SEC-011", "asset:smartphones-personnels-astreinte"),
    ("SKL-001", "service:etat-civil"), ("SKL-002", "service:etat-civil"), ("SKL-003", "service:sauvegarde"),
    ("SKL-004", "unit:dsi"), ("SKL-004", "unit:enfance"),
]


@pytest.fixture(scope="module")
def demo_findings(django_db_setup, django_db_blocker):
    # Loaded once for the module, inside a transaction rolled back at the end: the findings are
    # kept in memory and the database is left as it was.
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo("valmont")
        audit = run_audit(Workspace.objects.get(slug="valmont"), as_of=today(), store=False)
        found = {(f.rule_id, f"{f.object_type}:{f.object_slug}") for f in audit.findings}
        transaction.set_rollback(True)
    return audit, found


@pytest.mark.parametrize("problem", sorted(PLANTED))
def test_planted_problem_is_found(demo_findings, problem):
    _audit, found = demo_findings
    missing = [pair for pair in PLANTED[problem] if pair not in found]
    assert not missing, f"{problem}: not reported {missing}"


@pytest.mark.parametrize("pair", HEALTHY, ids=[f"{r}-{o}" for r, o in HEALTHY])
def test_healthy_objects_not_reported(demo_findings, pair):
    _audit, found = demo_findings
    assert pair not in found


def test_every_planted_problem_of_the_doc_is_covered():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "demo.md").read_text(encoding="utf-8")
    section = doc.split("## Planted problems in Valmont", 1)[1].split("## ", 1)[0]
    ids = {line.split("|")[1].strip() for line in section.splitlines() if line.startswith("| P")}
    assert ids == set(PLANTED)


def test_demo_audit_scores_every_domain_with_data(demo_findings):
    audit, _found = demo_findings
    for domain, data in audit.score["domains"].items():
        assert data["score"] is not None and 1.0 <= data["score"] <= 5.0, domain
