"""Normalisation rules that turn one raw spaCy span into a facet value, or drop it."""

from __future__ import annotations

import re
import unicodedata


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Function words and pronouns: a span made only of these is no entity ("He", "the South's").
STOP_WORDS = _set(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each either every few
    for from further had has have having he her here hers herself him himself his how i if in into
    is it its itself just me more most my myself neither no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their theirs
    them themselves then there these they this those through to too under until up upon us very
    was we were what when where which while who whom whose why will with would you your yours
    yourself yourselves one ones another others mr mrs ms miss dr sir madam"""
)

# Compass words alone name no single place or body ("the South", "North" for North Korea).
DIRECTIONS = _set(
    """north south east west northern southern eastern western northeast northwest southeast
    southwest central"""
)

# Nationality words stripped from the front of an organisation name when the rest is clearly an
# institution. spaCy's own NORP spans of the same article are added to these at run time.
NATIONALITIES = _set(
    """
    afghan african albanian algerian american angolan argentine argentinian armenian australian
    austrian azerbaijani bangladeshi belgian bolivian bosnian brazilian british bulgarian burmese
    cambodian cameroonian canadian chilean chinese colombian congolese croatian cuban cypriot czech
    danish dutch ecuadorian egyptian emirati english eritrean estonian ethiopian european filipino
    finnish french georgian german ghanaian greek guatemalan haitian honduran hungarian icelandic
    indian indonesian iranian iraqi irish israeli italian ivorian jamaican japanese jordanian
    kazakh kenyan korean kosovar kurdish kuwaiti kyrgyz laotian latvian lebanese liberian libyan
    lithuanian malaysian malian maltese mexican moldovan mongolian moroccan mozambican namibian
    nepalese nigerian nigerien norwegian pakistani palestinian panamanian paraguayan peruvian polish
    portuguese qatari romanian russian rwandan saudi scottish senegalese serbian singaporean slovak
    slovenian somali spanish sudanese swedish swiss syrian taiwanese tajik tanzanian thai tunisian
    turkish turkmen ugandan ukrainian uruguayan uzbek venezuelan vietnamese welsh yemeni zambian
    zimbabwean soviet"""
)
NATIONALITY_PREFIXES = ("north", "south", "east", "west", "new", "sri", "saudi", "hong")

# Words that make "<nationality> X" an institution of that country rather than a brand name
# ("North Korean Defense Ministry" -> "Defense Ministry", but "British Airways" stays).
INSTITUTION_WORDS = _set(
    """ministry bureau agency army navy government parliament party council committee embassy
    department office forces force command service services police court commission
    administration intelligence guard guards military directorate authority"""
)

PERSON_TITLES = _set("mr mrs ms miss dr prof sir dame")
ABBREVIATIONS = _set("inc corp co ltd jr sr st bros plc")

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"'})
_SPACE = re.compile(r"\s+")
_EDGE = "\"'`()[]{}<>,;:!?*|/\\-\u2013\u2014_~=+•·"
_POSSESSIVE = re.compile(r"(?:'s|(?<=s)')$", re.IGNORECASE)
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_URL = re.compile(r"(://|^www\.|\.(com|org|net|gov|edu|co\.uk|io)\b)", re.IGNORECASE)
_HANDLE = re.compile(r"(^|\s)[@#]\w")
# "Arsenal 2-1" (a score glued to the name), "Oscar-winning", "London-based" (an adjective made
# from a name): the name is what is left
_TRAILING_SCORE = re.compile(r"\s+\d{1,3}-\d{1,3}$")
_ADJECTIVE_SUFFIX = re.compile(
    r"(?<=[A-Za-z])-(?:[a-z]+(?:ing|ed)|based|born|owned|led|run|style|era|made|bound)$"
)


def normalise_text(text: str) -> str:
    """Straight quotes, one space between words, no control characters."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in text)
    return _SPACE.sub(" ", text).strip()


def variant_key(value: str) -> str:
    """Case- and punctuation-blind key: "U.S." and "US" -> "us"; "Joon-hee" -> "joon hee"."""
    text = normalise_text(value).lower().replace("'", "").replace(".", "")
    text = re.sub(r"[^\w&]+", " ", text)
    return _SPACE.sub(" ", text).strip()


def _words(value: str) -> list[str]:
    return value.split(" ")


def _is_nationality(words: list[str], extra: frozenset[str]) -> int:
    """How many leading words form a nationality word (0 when none)."""
    for size in (2, 1):
        if len(words) <= size:
            continue
        head = " ".join(words[:size]).lower()
        if head in extra or (size == 1 and head in NATIONALITIES):
            return size
        if (
            size == 2
            and words[0].lower() in NATIONALITY_PREFIXES
            and words[1].lower()
            in (NATIONALITIES | {"korean", "african", "lankan", "arabian", "zealand"})
        ):
            return size
    return 0


def strip_nationality(value: str, nationalities: frozenset[str] = frozenset()) -> str | None:
    """The organisation name without its leading nationality word, or None when it has none
    or when what remains would be a single word ("British Airways" keeps its "British")."""
    words = _words(value)
    size = _is_nationality(words, nationalities)
    if not size:
        return None
    rest = words[size:]
    if len(rest) < 2 or not rest[0][:1].isupper():
        return None
    return " ".join(rest)


def _strip_edges(value: str) -> str:
    previous = None
    while previous != value:
        previous = value
        value = value.strip(_EDGE + " ")
        value = _POSSESSIVE.sub("", value)
        value = _LEADING_THE.sub("", value)
    return value


def _trailing_period(value: str) -> str:
    """Drop a sentence-final period but keep abbreviations ("U.S.", "Corp.", "K.")."""
    if not value.endswith("."):
        return value
    last = value.split(" ")[-1].rstrip(".")
    if len(last) <= 1 or "." in last or last.lower() in ABBREVIATIONS:
        return value
    return value[:-1]


def _only_stop_words(words: list[str]) -> bool:
    def stop(word: str) -> bool:
        bare = word.strip(".'")
        # all-caps words of two letters or more are acronyms ("US", "WHO"), not pronouns
        if len(bare) >= 2 and bare.isupper():
            return False
        return bare.lower() in STOP_WORDS or bare.lower() in DIRECTIONS

    return all(stop(word) for word in words)


def is_noise(value: str) -> bool:
    """Spans that are no entity at all: handles, URLs, numbers, one letter, function words."""
    if not value or _HANDLE.search(value) or _URL.search(value):
        return True
    letters = [ch for ch in value if ch.isalpha()]
    alnum = [ch for ch in value if ch.isalnum()]
    if not letters or len(alnum) <= 1:
        return True
    # a cased script with no capital letter is a common noun or pronoun, not a name
    if not any(ch.isupper() for ch in letters) and any(ch.lower() != ch.upper() for ch in letters):
        return True
    return _only_stop_words(_words(value))


def clean_value(kind: str, raw: str, nationalities: frozenset[str] = frozenset()) -> str | None:
    """The facet value for one raw span of `kind`, or None when the span is noise."""
    value = normalise_text(raw)
    if _HANDLE.search(value) or _URL.search(value):
        return None
    value = _strip_edges(value)
    if kind == "people":
        words = _words(value)
        while len(words) > 1 and words[0].lower().rstrip(".") in PERSON_TITLES:
            words = words[1:]
        value = " ".join(words)
    elif kind == "organisations":
        rest = strip_nationality(value, nationalities)
        if rest is not None and any(w.lower() in INSTITUTION_WORDS for w in _words(rest)):
            value = rest
    value = _SPACE.sub(" ", _trailing_period(_strip_edges(value))).strip()
    value = _ADJECTIVE_SUFFIX.sub("", _TRAILING_SCORE.sub("", value))
    return None if is_noise(value) else value
