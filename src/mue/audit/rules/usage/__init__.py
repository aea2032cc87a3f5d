"""Rules of the usage domain, one module per rule."""
