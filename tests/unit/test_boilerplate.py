"""Boilerplate learned per source and stripped from bodies (invented fixtures only)."""

from __future__ import annotations

import json
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from archive_app.core.boilerplate import (
    BoilerplateLearner,
    Pattern,
    classify,
    normalize_key,
    segments,
    strip,
)

WORDS = [
    "harbour",
    "council",
    "river",
    "bridge",
    "market",
    "school",
    "winter",
    "orchard",
    "library",
    "museum",
    "station",
    "festival",
    "railway",
    "garden",
    "factory",
    "village",
    "tower",
    "island",
    "valley",
    "forest",
    "meadow",
    "canal",
    "lantern",
    "copper",
    "velvet",
    "marble",
    "thunder",
    "pepper",
    "saffron",
    "cobalt",
    "ember",
    "willow",
    "falcon",
]

LICENCE = "All material by Example Wire is licensed under a Creative Commons Attribution licence."
SHARE = "Share this story with your friends on Facebook"
FOOTER = "Subscribe to the weekly digest of the Example Gazette for more stories."


def sentence(rng: random.Random, words: int = 9) -> str:
    """An invented sentence that (almost surely) never repeats."""
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, sentences: int = 3) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def article(rng: random.Random, paragraphs: int = 3) -> str:
    return "\n\n".join(paragraph(rng) for _ in range(paragraphs))


def learn(group: str, bodies: list[str], **options: float) -> list[Pattern]:
    learner = BoilerplateLearner(**options)  # type: ignore[arg-type]
    for body in bodies:
        learner.add(group, body)
    return learner.patterns(group)


def test_segments_split_lines_glued_text_and_sentences() -> None:
    body = "First one. Second one.  Glued after spaces\nこれは文です。次の文\n\nMr. Smith spoke."
    segs = segments(body)
    assert [s.text for s in segs] == [
        "First one.",
        "Second one.",
        "Glued after spaces",
        "これは文です。",
        "次の文",
        "Mr. Smith spoke.",
    ]
    assert all(body[s.start : s.end] == s.text for s in segs)
    assert [s.line for s in segs] == [0, 0, 0, 1, 1, 2]
    assert segs[2].line_end
    assert not segs[1].line_end


def test_key_normalises_width_case_space_and_digits_but_not_urls() -> None:
    assert normalize_key("©  2017   ＥＸＡＭＰＬＥ") == normalize_key("© 2021 example")
    assert normalize_key("see https://example.org/a/123") != normalize_key(
        "see https://example.org/a/456"
    )


def test_glued_licence_is_learned_and_moved_to_rights() -> None:
    rng = random.Random(1)
    bodies = []
    for i in range(12):
        text = article(rng)
        # two spaces, as most such files do; one space after an editor code in others
        bodies.append(f"{text}  {LICENCE}" if i % 3 else f"{text} AB/CD {LICENCE}")
    patterns = learn("wire", bodies)
    assert [p.kind for p in patterns] == ["rights"]
    for body in bodies:
        result = strip(body, patterns)
        assert result.rights == LICENCE
        assert "Creative Commons" not in result.body
        assert result.body == body[: body.index(LICENCE)].rstrip()
        assert result.share_section == result.boilerplate == ""


def test_share_line_goes_to_share_section_and_footer_to_boilerplate() -> None:
    rng = random.Random(2)
    bodies = [f"{article(rng)}\n\n{FOOTER}\n{SHARE}" for _ in range(10)]
    patterns = learn("scrape", bodies)
    assert {p.kind for p in patterns} == {"share", "boilerplate"}
    result = strip(bodies[0], patterns)
    assert result.share_section == SHARE
    assert result.boilerplate == FOOTER
    assert result.rights == ""
    assert result.body == bodies[0][: bodies[0].index(FOOTER)].rstrip()
    assert "\n\n" in result.body  # paragraphs stay separated by one blank line


def test_trailing_block_of_links_goes_with_its_learned_head_line() -> None:
    rng = random.Random(3)
    bodies = []
    for _ in range(10):
        links = "\n".join(f"・{sentence(rng, 4)}" for _ in range(rng.randint(1, 4)))
        bodies.append(f"{article(rng)}\n\n■関連リンク\n{links}")
    patterns = learn("ja", bodies)
    assert [(p.key, p.block) for p in patterns] == [("■関連リンク", True)]
    result = strip(bodies[0], patterns)
    assert result.boilerplate.startswith("■関連リンク\n・")
    assert "■" not in result.body


def test_guard_sentence_in_few_articles_is_kept() -> None:
    rng = random.Random(4)
    quote = "The minister said the bridge would reopen before the winter festival began."
    bodies = [article(rng) for _ in range(200)]
    for i in (5, 50, 150):
        bodies[i] = f"{bodies[i]} {quote}"  # at the very end, but in 3 of 200
    patterns = learn("news", bodies)
    assert patterns == []
    assert strip(bodies[5], patterns).body == bodies[5]


def test_guard_sentence_in_many_articles_but_mid_body_is_kept() -> None:
    rng = random.Random(5)
    reused = "Officials have repeated that the canal project remains on schedule."
    bodies = []
    for _ in range(40):
        body = [paragraph(rng, 4) for _ in range(5)]
        body[2] = f"{body[2]} {reused} {paragraph(rng, 2)}"
        bodies.append("\n\n".join(body))
    assert learn("news", bodies) == []
    # Even a pattern given by hand is never cut from the middle of a body.
    forced = Pattern(normalize_key(reused), reused, "boilerplate", 40, 1.0, 1.0, False)
    assert strip(bodies[0], [forced]).body == bodies[0]


def test_guard_sentence_at_the_edge_sometimes_and_mostly_mid_body_is_kept() -> None:
    rng = random.Random(6)
    reused = "Officials have repeated that the canal project remains on schedule."
    bodies = []
    for i in range(40):
        body = [paragraph(rng, 4) for _ in range(5)]
        if i % 4 == 0:
            body.append(reused)  # at the end in 10 articles (25%)
        else:
            body[2] = f"{body[2]} {reused} {paragraph(rng, 2)}"
        bodies.append("\n\n".join(body))
    assert learn("news", bodies, min_share=0.2) == []  # enough edge articles, but edge share low


def test_groups_are_separate() -> None:
    rng = random.Random(7)
    learner = BoilerplateLearner()
    for _ in range(10):
        learner.add("a", f"{article(rng)}  {LICENCE}")
    for _ in range(10):
        learner.add("b", article(rng))
    assert learner.patterns("b") == []
    other = f"{article(rng)}  {LICENCE}"
    assert strip(other, learner.patterns("b")).body == other
    assert strip(other, learner.patterns("a")).rights == LICENCE


def test_json_round_trip_keeps_learning() -> None:
    rng = random.Random(8)
    first = BoilerplateLearner()
    for _ in range(3):
        first.add("wire", f"{article(rng)}  {LICENCE}")
    assert first.patterns("wire") == []  # 3 < min_articles
    state = first.to_json()
    assert json.loads(state)["groups"]["wire"]["articles"] == 3
    again = BoilerplateLearner.from_json(state)
    for _ in range(3):
        again.add("wire", f"{article(rng)}  {LICENCE}")
    assert [p.text for p in again.patterns("wire")] == [LICENCE]
    merged = BoilerplateLearner()
    merged.merge(BoilerplateLearner.from_json(state))
    merged.merge(BoilerplateLearner.from_json(state))
    assert merged.articles("wire") == 6
    assert [p.text for p in merged.patterns("wire")] == [LICENCE]


def test_state_is_bounded_and_keeps_recurring_keys() -> None:
    rng = random.Random(9)
    learner = BoilerplateLearner(max_keys=200)
    for _ in range(300):
        learner.add("wire", f"{article(rng)}  {LICENCE}")
    state = json.loads(learner.to_json())
    assert len(state["groups"]["wire"]["keys"]) <= 200
    assert [p.text for p in learner.patterns("wire")] == [LICENCE]


def test_idempotent_and_never_removes_the_whole_body() -> None:
    rng = random.Random(10)
    bodies = [f"{FOOTER}\n{article(rng)}\n{SHARE}  {LICENCE}" for _ in range(10)]
    patterns = learn("site", bodies)
    once = strip(bodies[0], patterns)
    assert once.body != bodies[0]
    assert FOOTER in once.boilerplate
    assert once.share_section == SHARE
    assert once.rights == LICENCE
    twice = strip(once.body, patterns)
    assert twice.body == once.body
    assert (twice.rights, twice.share_section, twice.boilerplate) == ("", "", "")
    only = f"{FOOTER}\n{SHARE}"
    assert strip(only, patterns).body == only
    assert strip(only, patterns).share_section == ""


def test_classify_uses_general_multilingual_cues() -> None:
    assert classify("© 2020 Some Paper. All rights reserved.") == "rights"
    assert classify("Все права защищены.") == "rights"
    assert classify("本記事の著作権は提供元に帰属します") == "rights"
    assert classify("Bản quyền thuộc về tòa soạn") == "rights"
    assert classify("Поделиться в соцсетях") == "share"
    assert classify("Follow us on Twitter") == "share"
    assert classify("Read more stories in our weekly digest") == "boilerplate"


text_parts = st.one_of(
    st.text(max_size=60),
    st.sampled_from([LICENCE, SHARE, FOOTER, "  ", "\n", "\n\n", "。", ". ", "■関連リンク\n"]),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(text_parts, max_size=12).map("".join))
def test_never_raises_and_is_idempotent_on_any_string(body: str) -> None:
    segs = segments(body)
    assert all(body[s.start : s.end] == s.text and s.text for s in segs)
    learner = BoilerplateLearner(min_articles=1, min_share=0.0)
    learner.add("g", body)
    learner.add("g", f"{body}\n{FOOTER}\n{SHARE}  {LICENCE}")
    patterns = learner.patterns("g")
    BoilerplateLearner.from_json(learner.to_json())
    once = strip(body, patterns)
    if once.body.strip():
        assert strip(once.body, patterns).body == once.body
