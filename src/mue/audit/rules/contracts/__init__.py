"""Rules of the contracts domain, one module per rule."""
