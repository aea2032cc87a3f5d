"""Rules checking the record of processing activities (mue.gdpr) against the map, one module per rule.

They belong to the data-protection domain (so its maturity score takes them in) and are numbered
from DAT-101: the DAT-0xx rules judge the map alone, the DAT-1xx ones the record and the map together.
"""
