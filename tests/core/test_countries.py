from mue.core.countries import is_eu, is_eu_or_adequate, transfer_zone


def test_zones():
    assert is_eu("fr") and is_eu("NO") and not is_eu("CH")
    assert is_eu_or_adequate("CH") and is_eu_or_adequate("GB") and not is_eu_or_adequate("US")
    assert transfer_zone("US") == "conditional"
    assert transfer_zone("CN") == "third-country"
    assert transfer_zone("") == "unknown"
