"""Language detection restricted to the configured languages, deterministic, sane on short inputs."""

from __future__ import annotations

import pytest

from index.language import LanguageDetector


@pytest.fixture(scope="module")
def detector():
    return LanguageDetector(["en", "es"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("How many police died?", "en"),  # langdetect's 55-language default says Polish
        ("who was killed in Villa Unión?", "en"),
        ("¿quién murió?", "es"),
        ("quién murió en Villa Unión", "es"),
        ("y los policías", "es"),
        ("Four state police officers were killed in the first clash on Saturday.", "en"),
        ("Cuatro policías estatales murieron en el primer enfrentamiento del sábado.", "es"),
        # the names of an English question are not its language
        ("What did Enrique Peña Nieto apologise for?", "en"),
        ("Who did the president name as Secretario de Gobernación?", "en"),
        ("How many people died in San Juan de los Lagos?", "en"),
        ("Quien ganó la Copa del Mundo", "es"),
    ],
)
def test_detects_among_configured_languages(detector, text, expected):
    assert detector.detect(text) == expected


def test_unclear_short_input_falls_back(detector):
    assert detector.detect("Riquelme", fallback="es") == "es"
    assert detector.detect("Riquelme", fallback="en") == "en"
    assert detector.detect("123", fallback="es") == "es"


def test_deterministic(detector):
    text = "Coahuila Villa Unión 2019"
    assert len({detector.detect(text) for _ in range(20)}) == 1


def test_rejects_bad_configuration():
    with pytest.raises(ValueError):
        LanguageDetector([])
    with pytest.raises(ValueError):
        LanguageDetector(["en"], fallback="es")
    with pytest.raises(ValueError, match="no profile"):
        LanguageDetector(["en", "xx"])


def test_other_languages_map_to_the_closest_configured_one(detector):
    french = "Le gouvernement a annoncé de nouvelles mesures pour les agriculteurs cette semaine."
    assert detector.detect(french) in ("en", "es")


def test_a_long_english_report_naming_a_spanish_speaker_is_english(detector):
    report = (
        "The former president Enrique Peña Nieto apologised on Monday for the purchase of a luxury house by his "
        "wife, two years after reporters revealed that a government contractor had built it. He told an "
        "audience at the national palace that the episode had damaged public trust, and he asked for forgiveness."
    )
    assert len(report) > 300 and detector.detect(report) == "en"  # an ñ used to make any text Spanish
