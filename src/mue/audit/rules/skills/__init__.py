"""Rules of the skills domain, one module per rule."""
