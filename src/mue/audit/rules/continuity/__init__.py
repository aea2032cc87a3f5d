"""Rules of the continuity domain, one module per rule."""
