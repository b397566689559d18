"""Qt-free rendering of articles to HTML through Jinja2 templates."""
