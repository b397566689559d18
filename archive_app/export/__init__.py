"""Export of articles to HTML, PDF and plain text."""
