"""CSV and XLSX import of one object type (placeholder replaced below)."""


def load_mapping(path):
    raise NotImplementedError


def read_table(path, fmt, object_type=None, mapping=None, workspace=None):
    raise NotImplementedError
