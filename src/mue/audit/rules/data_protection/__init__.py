"""Rules of the data protection domain, one module per rule."""
