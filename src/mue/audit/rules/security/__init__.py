"""Rules of the security domain, one module per rule."""
