"""Rules of the terms domain, one module per rule."""
