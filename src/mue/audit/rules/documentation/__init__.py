"""Rules of the documentation domain, one module per rule."""
