"""Risk scores: sub-scores, unknown attributes, tuned weights, overrides."""

from decimal import Decimal

import pytest

from mue.discovery.catalogue import CatalogueService
from mue.discovery.risk import UNKNOWN_RISK, clean_weights, score

GOOD = {"sso": True, "mfa": True, "encryption_at_rest": True, "certifications": ["secnumcloud"], "gdpr_dpa": True,
        "data_ownership": True, "data_export": True}


def _svc(country="FR", dl=("FR",), **attrs):
    return CatalogueService("s", "S", "V", country, "other", ("s.example",), tuple(dl), attrs)


def test_all_known_good_is_zero():
    result = score(_svc(**GOOD))
    assert result.score == 0 and result.unknown == []
    assert result.subscores == {"general": 0, "security": 0, "compliance": 0, "legal": 0}


def test_unknown_is_not_good():
    unknown = score(_svc(country="", dl=()))
    assert unknown.score == round(10 * UNKNOWN_RISK, 1)
    assert set(unknown.unknown) >= {"sso", "mfa", "certifications", "vendor_country"}
    assert unknown.score > score(_svc(**GOOD)).score


def test_known_bad_scores_highest():
    bad = score(_svc(country="CN", dl=("CN",), sso=False, mfa=False, encryption_at_rest=False, certifications=[],
                     gdpr_dpa=False, data_ownership=False, data_export=False))
    assert bad.score == 10
    assert bad.score > score(_svc(country="", dl=())).score


def test_weights_tune_the_mix():
    svc = _svc(country="CN", dl=("CN",), **{k: v for k, v in GOOD.items()})  # only "general" is bad
    assert score(svc).score == 2.5
    assert score(svc, {"general": 3}).score == 5.0
    assert score(svc, {"general": 0}).score == 0.0


def test_bad_weights_are_refused():
    with pytest.raises(ValueError):
        clean_weights({"colour": 1})
    with pytest.raises(ValueError):
        clean_weights({"general": -1})


def test_override_keeps_the_note_and_the_computed_subscores():
    result = score(_svc(), override=(Decimal("1.5"), "audited by us"))
    assert (result.score, result.overridden, result.note) == (1.5, True, "audited by us")
    assert result.subscores["security"] > 0
