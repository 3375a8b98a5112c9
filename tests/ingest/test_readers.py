"""The language registry: which reader reads a report, and the letters that decide the language."""

from __future__ import annotations

import pytest

from refuge.ingest.metadata import detect_language
from refuge.ingest.readers import READERS, not_read_warning, reader_for


def test_english_and_unknown_go_to_the_english_reader() -> None:
    english = reader_for("en")
    assert english is not None and english.language == "en"
    assert reader_for(None) is english
    assert reader_for("EN-gb") is english


def test_a_language_without_reader_has_none_and_a_warning() -> None:
    assert "kk" not in READERS
    assert reader_for("kk") is None
    assert not_read_warning("kk") == "language kk is not read yet; no case drafted"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Суд отклонил апелляцию и постановил выдворить его из страны.", "ru"),
        ("Сот шешімі бойынша ол елден шығарылады, бұл заңға қайшы.", "kk"),
        ("Ҷумҳурии Тоҷикистон давлати соҳибихтиёр мебошад ва ӯ дар он ҷо зиндагӣ мекунад.", "tg"),
        ("Ўзбекистон Республикаси суди уни қамоққа олди ва бу ҳақда хабар берди.", "uz"),
        (
            "Oʻzbekiston sudi uni hibsga oldi va bu haqda gʻalaba qilib xabar berdi, oʻsha kuni.",
            "uz",
        ),
        ("Кыргызстандын сотунун өкүмү боюнча ал өлкөдөн чыгарылат жана бул мыйзамга каршы.", "ky"),
        ("Суд відхилив апеляцію і постановив видворити його з країни, що є порушенням.", "uk"),
        ("Беларускі суд адхіліў апеляцыю і пастанавіў выслаць яго з краіны.", "be"),
        # One Kazakh name in a Russian sentence does not make it Kazakh.
        ("Российский суд арестовал Қасыма Токаева по запросу Казахстана, сообщили адвокаты.", "ru"),
        ("He was detained in Almaty and deported to Russia, his lawyer said on Friday.", "en"),
    ],
)
def test_languages_by_letters_and_stopwords(text: str, language: str) -> None:
    assert detect_language(text) == language
