"""The rights notice in the shared template and the export metadata; boilerplate stays out."""

from __future__ import annotations

import pytest

from archive_app.core.records import ArticleFields, ArticleRecord
from archive_app.render.article import render_article_fragment, render_preview
from archive_app.render.pages import dublin_core, json_ld, licence_of


@pytest.mark.parametrize(
    ("rights", "licence"),
    [
        ("© 2022 Reuters. All rights reserved.", None),
        ("Copyright 2023 The Associated Press. All rights reserved.", None),
        ("cc: the editor", None),
        ("Licensed under CC BY-ND 4.0.", "https://creativecommons.org/licenses/by-nd/4.0/"),
        ("CC-BY 3.0", "https://creativecommons.org/licenses/by/3.0/"),
        ("cc by-nc-sa 4.0", "https://creativecommons.org/licenses/by-nc-sa/4.0/"),
        (
            "Dedicated to the public domain (CC0).",
            "https://creativecommons.org/publicdomain/zero/1.0/",
        ),
        (
            "Creative Commons Attribution-NonCommercial-ShareAlike 4.0 International",
            "https://creativecommons.org/licenses/by-nc-sa/4.0/",
        ),
        (
            "under a Creative Commons Attribution No-Derivatives 4.0 licence.",
            "https://creativecommons.org/licenses/by-nd/4.0/",
        ),
        (
            "Republished under a Creative Commons license. Read the original.",
            {"@type": "CreativeWork", "name": "Creative Commons license"},
        ),
        ("CC BY-SA", {"@type": "CreativeWork", "name": "CC BY-SA"}),
        (
            "See https://example.org/terms/licence.html.",
            "https://example.org/terms/licence.html",
        ),
        (
            "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)",
            "https://creativecommons.org/licenses/by/4.0/",
        ),
    ],
)
def test_licence_is_a_web_address_or_a_named_creative_commons_licence(
    rights: str, licence: object
) -> None:
    assert licence_of(rights) == licence


def test_template_ends_the_article_with_an_escaped_rights_line() -> None:
    fields = ArticleFields(
        title="Headline",
        body="Only paragraph.",
        share_section="SHARE THIS ARTICLE\nFacebook",
        rights="© 2022 <Tom> & Jerry\nCC BY 4.0",
        boilerplate="Subscribe to our newsletter",
    )
    html = render_article_fragment(fields)
    assert (
        '<p class="rights"><span class="rights-label">Rights:</span> '
        "© 2022 &lt;Tom&gt; &amp; Jerry<br>CC BY 4.0</p>\n</div>"
    ) in html
    assert html.index('class="share"') < html.index('class="rights"')
    assert "Subscribe" not in html
    assert "Subscribe" not in render_preview(fields)
    assert 'class="rights"' not in render_article_fragment(ArticleFields(title="No rights"))


def test_metadata_carries_the_rights_only_when_there_are_some() -> None:
    record = ArticleRecord(id=1, title="T", rights="  CC BY-ND 4.0\n© The Conversation ")
    assert ("DC.rights", "CC BY-ND 4.0\n© The Conversation") in dublin_core(record)
    data = json_ld(record)
    assert data["copyrightNotice"] == "CC BY-ND 4.0\n© The Conversation"
    assert data["license"] == "https://creativecommons.org/licenses/by-nd/4.0/"
    bare = ArticleRecord(id=2, title="T", boilerplate="footer")
    assert not any(name == "DC.rights" for name, _ in dublin_core(bare))
    assert "copyrightNotice" not in json_ld(bare)
    assert "license" not in json_ld(bare)
    assert "footer" not in str(json_ld(bare))
