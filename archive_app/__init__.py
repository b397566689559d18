"""Article Archive: a desktop archive manager for saved news articles."""

__version__ = "0.1.0"
APP_NAME = "Article Archive"
APP_ID = "io.github.articlearchive.ArticleArchive"
