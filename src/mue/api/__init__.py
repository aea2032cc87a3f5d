"""The REST API (``/api/v1/``): every register type derived from the registry, personal tokens, OpenAPI."""
