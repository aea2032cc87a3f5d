"""Map as code: the one import pipeline (YAML, JSON, CSV, XLSX) and the export of a workspace."""
