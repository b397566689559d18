"""Top-level windows composed from views."""
