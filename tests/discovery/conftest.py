from pathlib import Path

import pytest

LOGS = Path(__file__).resolve().parent.parent / "fixtures" / "logs"


@pytest.fixture
def logs() -> Path:
    return LOGS
