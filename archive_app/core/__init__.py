"""Qt-free core: models, library service, migrations, decoding, parsing, import, search."""
