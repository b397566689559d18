"""The fixed search queries of the search benchmark (the one place they are listed)."""

from __future__ import annotations

#: ``(kind, query)``. Rare words and phrases are planted by the generator at known shares
#: (benchmarks/vocab.py ``PLANTED``); the common words sit at the top of its Zipf curve. The
#: field, date and boolean queries use the search language of ``archive_app.core.query``.
QUERIES: tuple[tuple[str, str], ...] = (
    ("rare word", "zephyrine"),
    ("rare word", "quillagate"),
    ("rare word", "marrowfield"),
    ("rare word", "tesselbrook"),
    ("common word", "said"),
    ("common word", "government"),
    ("common word", "minister"),
    ("common word", "oil"),
    ("common word", "security"),
    ("prefix", "sanct*"),
    ("prefix", "presid*"),
    ("prefix", "nucl*"),
    ("prefix", "tessel*"),
    ("phrase", '"prime minister"'),
    ("phrase", '"security council"'),
    ("phrase", '"obsidian accord"'),
    ("phrase", '"Halvorsen Commission"'),
    ("phrase", '"lanternfish survey"'),
    ("field", "section:russia"),
    ("field", "byline:whitfield"),
    ("field", "title:nuclear"),
    ("field", "caption:nuclear"),
    ("field", 'publisher:"press tv"'),
    ("date", "date:2019"),
    ("date range", "date:2015-01..2016-06"),
    ("word and date", "sanctions date:>=2020-01-01"),
    ("two words", "oil sanctions"),
    ("two words", "nuclear talks"),
    ("two words", "government marrowfield"),
    ("boolean", "(iran OR iraq) -sanctions"),
)
