"""Rules of the costs domain, one module per rule."""
