"""Person names as they occur in German administrations, for synthetic training sentences.

Faker supplies names per locale; the mix of locales follows the largest groups living in
Germany. Faker's Russian, Ukrainian and Arabic names are in their native scripts, which German
administrative text almost never shows, so Cyrillic is transliterated (German Duden style or
English style, both are common in files) and Arabic names come from a short hand-written list
of transliterations. Every draw goes through one `random.Random`, so a seed fixes the output.
"""
from __future__ import annotations

import random
from functools import lru_cache

from faker import Faker

# Locale -> weight. German names dominate, the rest roughly follows the Mikrozensus.
LOCALE_WEIGHTS: dict[str, float] = {
    "de_DE": 0.40, "de_AT": 0.04, "tr_TR": 0.10, "pl_PL": 0.07, "ru_RU": 0.05, "uk_UA": 0.05,
    "it_IT": 0.04, "ro_RO": 0.03, "hr_HR": 0.03, "el_latin": 0.02, "ar_latin": 0.06,
    "vi_VN": 0.02, "en_US": 0.03, "en_GB": 0.02, "fr_FR": 0.02, "es_ES": 0.01, "pt_PT": 0.01,
    "nl_NL": 0.01, "cs_CZ": 0.01, "hu_HU": 0.01, "fa_latin": 0.01,
}

_ARABIC_FIRST = (
    "Mohammed Mohamed Muhammad Ahmad Ahmed Ali Omar Umar Hassan Hussein Yusuf Youssef Ibrahim "
    "Khaled Khalid Mahmoud Mustafa Samir Tarek Karim Bilal Amir Nabil Walid Jamal Rami Fadi "
    "Fatima Aisha Amina Leila Layla Mariam Nour Rania Salma Yasmin Huda Zainab Samira Dalia Hanan"
).split()
_ARABIC_LAST = (
    "Al-Hassan Al-Masri Al-Ahmad Al-Khatib Al-Shami Abdallah Abdullah Haddad Khoury Nasser Saleh "
    "Hamdan Darwish Mansour Qasem Kassem Farouk Aziz Rahman El-Sayed El-Amin Osman Yassin Hamoud "
    "Ibrahim Suleiman Ghanem Jaber Barakat Bakr Othman Said Sabbagh Shaheen Issa Mahmoud Hussein"
).split()
_PERSIAN_FIRST = "Reza Ali Mehdi Dariush Kian Arash Navid Parisa Shirin Maryam Neda Leyla Soraya Farah".split()
_PERSIAN_LAST = "Hosseini Ahmadi Rezaei Mohammadi Karimi Jafari Rahimi Moradi Sadeghi Tehrani Kazemi".split()
_GREEK_FIRST = "Georgios Dimitrios Konstantinos Ioannis Nikolaos Eleni Maria Katerina Sofia Anastasia".split()
_GREEK_LAST = "Papadopoulos Papadopoulou Georgiou Dimitriou Nikolaidis Konstantinidis Oikonomou Pappas Karagiannis".split()
_VIET_FIRST = "Minh Anh Linh Huong Thao Lan Hoa Tuan Hung Duc Quang Thanh Trang Mai Ngoc Phuong Long Nam".split()

_CYR_DE = {
    "а": "a", "б": "b", "в": "w", "г": "g", "д": "d", "е": "e", "ё": "jo", "ж": "sch", "з": "s",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "ch", "ц": "z", "ч": "tsch", "ш": "sch",
    "щ": "schtsch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "ju", "я": "ja", "є": "je",
    "і": "i", "ї": "ji", "ґ": "g", "'": "",
}
_CYR_EN = dict(_CYR_DE, **{
    "в": "v", "ж": "zh", "з": "z", "й": "y", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ю": "yu", "я": "ya", "є": "ye", "ї": "yi", "ё": "yo",
})


def transliterate(text: str, table: dict[str, str]) -> str:
    if table is _CYR_DE:
        # Duden: the endings -ий/-ій/-ый collapse to -i/-y (Юрий -> Juri, not Jurii).
        for ending, short in (("ий", "и"), ("ій", "і"), ("ый", "ы")):
            if text.endswith(ending):
                text = text[: -len(ending)] + short
    out = []
    for ch in text:
        low = ch.lower()
        rep = table.get(low, ch)
        out.append(rep.capitalize() if ch != low and rep else rep)
    return "".join(out)


@lru_cache(maxsize=None)
def _faker(locale: str) -> Faker:
    return Faker(locale)


class NameMaker:
    """Draws first and last names; deterministic for a given seed."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._locales = list(LOCALE_WEIGHTS)
        self._weights = list(LOCALE_WEIGHTS.values())

    def _fake(self, locale: str) -> Faker:
        fake = _faker(locale)
        fake.seed_instance(self.rng.getrandbits(32))
        return fake

    def locale(self) -> str:
        return self.rng.choices(self._locales, self._weights)[0]

    def first(self, locale: str | None = None) -> str:
        locale = locale or self.locale()
        pick = self.rng.choice
        if locale == "ar_latin":
            return pick(_ARABIC_FIRST)
        if locale == "fa_latin":
            return pick(_PERSIAN_FIRST)
        if locale == "el_latin":
            return pick(_GREEK_FIRST)
        if locale == "vi_VN":
            return pick(_VIET_FIRST)
        name = self._fake(locale).first_name()
        if locale in ("ru_RU", "uk_UA"):
            name = transliterate(name, _CYR_DE if self.rng.random() < 0.6 else _CYR_EN)
        return name

    def last(self, locale: str | None = None) -> str:
        locale = locale or self.locale()
        pick = self.rng.choice
        if locale == "ar_latin":
            return pick(_ARABIC_LAST)
        if locale == "fa_latin":
            return pick(_PERSIAN_LAST)
        if locale == "el_latin":
            return pick(_GREEK_LAST)
        name = self._fake(locale).last_name()
        if locale in ("ru_RU", "uk_UA"):
            name = transliterate(name, _CYR_DE if self.rng.random() < 0.6 else _CYR_EN)
        return name

    def full(self) -> str:
        """A full name in one of the shapes files use: plain, double first/last name, particle, initial."""
        locale = self.locale()
        first, last = self.first(locale), self.last(locale)
        r = self.rng.random()
        if r < 0.08:
            first = f"{first}-{self.first(locale)}"
        elif r < 0.14:
            first = f"{first} {self.first(locale)}"
        elif r < 0.18:
            first = f"{first[0]}."
        r = self.rng.random()
        if r < 0.10:
            last = f"{last}-{self.last()}"
        elif r < 0.16:
            last = with_particle(self.rng.choice(PARTICLES), last)
        return f"{first} {last}"

    def surname(self) -> str:
        """A surname as used after Herr/Frau, sometimes double-barrelled or with a particle."""
        last = self.last()
        r = self.rng.random()
        if r < 0.08:
            return f"{last}-{self.last()}"
        if r < 0.14:
            return with_particle(self.rng.choice(PARTICLES), last)
        if r < 0.22:
            return self.rng.choice(WORD_SURNAMES)
        return last


def with_particle(particle: str, last: str) -> str:
    # "Al-" and "El-" attach to the name; "von", "van der" stand apart.
    return f"{particle}{last}" if particle.endswith("-") else f"{particle} {last}"


PARTICLES = ("von", "von der", "van", "van der", "van den", "de", "de la", "di", "da", "zu", "Al-", "El-", "ten")
# Surnames that are also ordinary German words: as names they are PER, as words they are not.
WORD_SURNAMES = (
    "Vogel", "Koch", "Fuchs", "Braun", "Lange", "Schwarz", "Weiß", "Wolf", "Bauer", "Becker",
    "Schneider", "Fischer", "Jäger", "Hahn", "Klein", "Groß", "Kurz", "Winter", "Sommer", "Frank",
    "Krause", "Kaiser", "König", "Graf", "Hase", "Stein", "Berg", "Busch", "Brandt", "Neumann",
)
