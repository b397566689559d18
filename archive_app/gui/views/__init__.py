"""Views: the library table, the editor form and the preview."""
