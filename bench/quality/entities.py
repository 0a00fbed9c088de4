"""Entity quality: raw spaCy next to our clean-up, on CoNLL-2003 dev and Reuters-21578; NER speed.

Run: `python -m bench.quality.entities` (quality tables) and
`python -m bench.quality.entities --throughput` (articles/s with 1 and 2 processes).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from searchidx.entities import AliasTable, ArticleEntities, recognize
from searchidx.entities.clean import variant_key
from searchidx.entities.people import merge_short_names
from searchidx.entities.recognize import LABELS, _entities_of, load_model, model_id
from searchidx.models import ENTITY_FIELDS

REPO = Path(__file__).resolve().parents[2]
CORPORA = REPO.parent / "shared" / "corpora"
CONLL = CORPORA / "conll2003_dev" / "eng.testa"
REUTERS = CORPORA / "reuters21578"
REUTERS_WITH_PEOPLE = 300  # first stories (file order) with gold PEOPLE
REUTERS_PLACES_ONLY = 500  # first stories with gold PLACES but no PEOPLE
THROUGHPUT_SAMPLE = 2000
GOLD_KINDS = {"PER": "people", "ORG": "organisations", "LOC": "places"}
KINDS = ENTITY_FIELDS

# Reuters place codes whose name is not the code with hyphens as spaces, title-cased.
PLACE_NAMES: dict[str, tuple[str, ...]] = {
    "usa": ("United States", "U.S.", "US", "USA", "America"),
    "uk": ("United Kingdom", "U.K.", "UK", "Britain", "Great Britain", "England"),
    "ussr": ("Soviet Union", "USSR", "Soviet"),
    "west-germany": ("West Germany", "Germany"),
    "east-germany": ("East Germany",),
    "uae": ("United Arab Emirates", "UAE"),
    "hong-kong": ("Hong Kong",),
    "south-korea": ("South Korea", "Korea"),
    "north-korea": ("North Korea",),
    "ivory-coast": ("Ivory Coast", "Cote d'Ivoire"),
    "netherlands": ("Netherlands", "Holland"),
    "taiwan": ("Taiwan", "Republic of China"),
    "china": ("China", "People's Republic of China", "Peking", "Beijing"),
}

Values = dict[str, set[str]]


def _raw_and_clean(texts: list[str]) -> tuple[list[Values], list[ArticleEntities]]:
    """spaCy's own spans per kind (raw) and our cleaned values, from one NER pass."""
    nlp = load_model()
    raw: list[Values] = []
    clean: list[ArticleEntities] = []
    for text, doc in zip(texts, nlp.pipe(texts, batch_size=64), strict=True):
        values: Values = {kind: set() for kind in KINDS}
        for ent in doc.ents:
            kind = LABELS.get(ent.label_)
            if kind is not None:
                values[kind].add(ent.text)
        raw.append(values)
        clean.append(_entities_of(doc, text, "en"))
    return raw, clean


def _as_values(entities: ArticleEntities) -> Values:
    return {kind: set(entities.values(kind)) for kind in KINDS}


# --- CoNLL-2003 ------------------------------------------------------------------------------


def read_conll(path: Path = CONLL) -> list[tuple[str, Values]]:
    """(text, gold values per kind) per document; tokens joined by spaces, one line a sentence."""
    documents: list[tuple[str, Values]] = []
    sentences: list[str] = []
    tokens: list[str] = []
    gold: Values = {kind: set() for kind in KINDS}
    span: list[str] = []
    span_type = ""

    def close_span() -> None:
        nonlocal span, span_type
        if span and span_type in GOLD_KINDS:
            gold[GOLD_KINDS[span_type]].add(" ".join(span))
        span, span_type = [], ""

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("-DOCSTART-") or not line.strip():
            close_span()
            if tokens:
                sentences.append(" ".join(tokens))
                tokens = []
            if line.startswith("-DOCSTART-") and sentences:
                documents.append(("\n".join(sentences), gold))
                sentences, gold = [], {kind: set() for kind in KINDS}
            continue
        token, *_, tag = line.split()
        tokens.append(token)
        prefix, _, label = tag.partition("-")
        if tag == "O" or prefix == "B" or label != span_type:
            close_span()
        if tag != "O":
            span.append(token)
            span_type = label
    if sentences:
        documents.append(("\n".join(sentences), gold))
    return documents


Forms = dict[str, set[str]]  # a value -> the forms the document itself used for it


def _prf(
    predicted: list[set[str]], gold: list[set[str]], forms: list[Forms] | None = None
) -> dict[str, float]:
    """Precision, recall, F1 of values against gold spans, case- and punctuation-blind.

    With `forms`, a value also matches a gold span through any form the document used for it:
    the alias table writes a canonical value ("U.S.") for a story that said "United States"."""
    found = right = named = wanted = 0
    for index, (p, g) in enumerate(zip(predicted, gold, strict=True)):
        gk = {variant_key(v) for v in g}
        keys: dict[str, set[str]] = defaultdict(set)  # one entry per distinct predicted key
        for value in p:
            used = forms[index].get(value, set()) if forms else set()
            keys[variant_key(value)] |= {variant_key(f) for f in used} | {variant_key(value)}
        hits = [matched & gk for matched in keys.values()]
        found, right = found + len(keys), right + sum(1 for h in hits if h)
        named, wanted = named + len(set().union(*hits)), wanted + len(gk)
    precision = right / found if found else 0.0
    recall = named / wanted if wanted else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def _forms(table: AliasTable, entities: ArticleEntities, kind: str) -> Forms:
    """Canonical value of `kind` -> the forms this article used for it (kind decisions applied)."""
    forms: Forms = defaultdict(set)
    for value in table.decisions.apply(entities).values(kind):
        canonical = table.canonical(kind, value)
        if canonical:
            forms[canonical].add(value)
    return forms


def conll_scores() -> dict[str, Any]:
    documents = read_conll()
    texts = [text for text, _ in documents]
    golds = [gold for _, gold in documents]
    # the gold marks "Phil Simmons" and a later "Simmons" as two spans of one person; we judge
    # entities, so the gold gets the same in-article short-name merge as our output
    for gold in golds:
        gold["people"] = set(merge_short_names(sorted(gold["people"], key=len, reverse=True)))
    raw, clean = _raw_and_clean(texts)
    table = AliasTable.build(clean)
    aliased = [table.apply(e) for e in clean]
    systems: dict[str, list[Values]] = {
        "raw spaCy": raw,
        "cleaned": [_as_values(e) for e in clean],
        "cleaned + aliases": [_as_values(e) for e in aliased],
    }
    forms = {kind: [_forms(table, e, kind) for e in clean] for kind in KINDS}
    scores = {
        name: {
            kind: _prf(
                [v[kind] for v in values],
                [g[kind] for g in golds],
                forms[kind] if name == "cleaned + aliases" else None,
            )
            for kind in KINDS
        }
        for name, values in systems.items()
    }
    # the former scoring: the canonical value alone must match the document's gold span
    scores["cleaned + aliases, canonical form only"] = {
        kind: _prf([v[kind] for v in systems["cleaned + aliases"]], [g[kind] for g in golds])
        for kind in KINDS
    }
    return {"documents": len(documents), "scores": scores}


# --- Reuters-21578 ---------------------------------------------------------------------------

_STORY = re.compile(r"<REUTERS[^>]*NEWID=\"(\d+)\"[^>]*>(.*?)</REUTERS>", re.DOTALL)
_TAG_D = re.compile(r"<D>(.*?)</D>")


def _field(name: str, story: str) -> str:
    match = re.search(rf"<{name}>(.*?)</{name}>", story, re.DOTALL)
    return match.group(1) if match else ""


def read_reuters(with_people: int, places_only: int = 0) -> list[tuple[str, dict[str, list[str]]]]:
    """(title + body, {"people": codes, "places": codes}) of the first `with_people` stories with
    gold PEOPLE and the first `places_only` with PLACES only, in file order. With
    `places_only` 0, any story with a body counts (the throughput sample)."""
    import html

    any_story = places_only == 0
    stories: list[tuple[str, dict[str, list[str]]]] = []
    taken = {"people": 0, "places": 0}
    for path in sorted(REUTERS.glob("reut2-*.sgm")):
        raw = path.read_bytes().decode("utf-8", "replace")
        for match in _STORY.finditer(raw):
            story = match.group(2)
            gold = {
                "people": _TAG_D.findall(_field("PEOPLE", story)),
                "places": _TAG_D.findall(_field("PLACES", story)),
            }
            title = html.unescape(_field("TITLE", story))
            body = html.unescape(re.sub(r"&#\d+;", " ", _field("BODY", story)))
            if not body.strip():
                continue
            if any_story or gold["people"]:
                group = "people"
            elif gold["places"]:
                group = "places"
            else:
                continue
            if taken[group] >= (with_people if group == "people" else places_only):
                continue
            taken[group] += 1
            stories.append((f"{title}\n\n{body}", gold))
            if taken["people"] >= with_people and taken["places"] >= places_only:
                return stories
    return stories


def _place_keys(code: str) -> set[str]:
    names = PLACE_NAMES.get(code, (code.replace("-", " "),))
    return {variant_key(name) for name in names}


def _found_share(
    golds: list[list[str]], values: list[set[str]], match: Callable[[str, set[str]], bool]
) -> float:
    shares = [
        sum(match(code, v) for code in g) / len(g) for g, v in zip(golds, values, strict=True) if g
    ]
    return round(sum(shares) / len(shares), 3) if shares else 0.0


def _place_found(code: str, values: set[str]) -> bool:
    return bool(_place_keys(code) & {variant_key(v) for v in values})


def _person_found(code: str, values: set[str]) -> bool:
    surname = code.split("-")[-1]
    return any(variant_key(v).split()[-1:] == [surname] for v in values if variant_key(v))


def _mentioned(code: str, text: str) -> bool:
    """Whether any name of the place code occurs in the story's text (whole words)."""
    names = PLACE_NAMES.get(code, (code.replace("-", " ").title(),))
    return any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) for name in names)


def reuters_scores(
    with_people: int = REUTERS_WITH_PEOPLE, places_only: int = REUTERS_PLACES_ONLY
) -> dict[str, Any]:
    stories = read_reuters(with_people, places_only)
    raw, clean = _raw_and_clean([text for text, _ in stories])
    table = AliasTable.build(clean)
    aliased = [table.apply(e) for e in clean]
    systems = {
        "raw spaCy": raw,
        "cleaned": [_as_values(e) for e in clean],
        "cleaned + aliases": [_as_values(e) for e in aliased],
    }
    people_gold = [g["people"] for _, g in stories]
    places_gold = [g["places"] for _, g in stories]
    # Reuters tags nearly every US company story `usa` without naming the country: also score
    # only the gold places whose name appears in the text
    named_gold = [[c for c in g["places"] if _mentioned(c, t)] for t, g in stories]
    result: dict[str, Any] = {
        "stories": len(stories),
        "with_people": sum(1 for g in people_gold if g),
        "with_places": sum(1 for g in places_gold if g),
        "with_named_places": sum(1 for g in named_gold if g),
        "found": {},
    }
    for name, values in systems.items():
        result["found"][name] = {
            "people": _found_share(people_gold, [v["people"] for v in values], _person_found),
            "places": _found_share(places_gold, [v["places"] for v in values], _place_found),
            "places_named": _found_share(named_gold, [v["places"] for v in values], _place_found),
            "values_per_story": round(
                sum(len(v["people"]) + len(v["places"]) for v in values) / max(len(values), 1), 2
            ),
        }
    return result


def run() -> dict[str, Any]:
    started = time.perf_counter()
    results = {"model": model_id(), "conll": conll_scores()}
    results["reuters"] = reuters_scores()
    results["seconds"] = round(time.perf_counter() - started, 1)
    return results


def markdown(results: dict[str, Any]) -> str:
    conll, reuters = results["conll"], results["reuters"]
    places_only = reuters["stories"] - reuters["with_people"]
    lines = [
        f"Model `{results['model']}`. Command: `python -m bench.quality.entities`.",
        "",
        f"**CoNLL-2003 dev (eng.testa, {conll['documents']} documents)**: precision / recall / F1",
        "of each document's set of values against the set of its gold PER / ORG / LOC spans",
        "(compared case- and punctuation-blind; gold person names get the same in-article",
        'short-name merge as ours, since "Simmons" after "Phil Simmons" is one person).',
        "",
        "| system | people P / R / F1 | organisations P / R / F1 | places P / R / F1 |",
        "|---|---|---|---|",
    ]
    for name, scores in conll["scores"].items():
        cells = [
            f"{s['precision']:.3f} / {s['recall']:.3f} / {s['f1']:.3f}"
            for s in (scores[k] for k in KINDS)
        ]
        lines.append(f"| {name} | {' | '.join(cells)} |")
    lines += [
        "",
        f"**Reuters-21578**: {reuters['stories']} stories, the first {reuters['with_people']}"
        f" (file order) with gold <PEOPLE> and the first {places_only}"
        " with <PLACES> only. Mean share of each story's gold codes found among its values.",
        "Place codes map to names by a small table (`usa` -> United States / U.S. / US / USA /",
        "America, `uk` -> United Kingdom / Britain / England, `ussr` -> Soviet Union, ...), other",
        "codes by their words (`el-salvador` -> El Salvador); people by surname (`james-baker` is",
        "found when a person value ends in Baker). Reuters tags almost every US company story",
        '`usa` without the text naming the country, so "places, named" scores only the gold',
        f"places whose name occurs in the text ({reuters['with_named_places']} stories).",
        "",
        "| system | people found | places found | places found, named | values per story |",
        "|---|---|---|---|---|",
    ]
    for name, found in reuters["found"].items():
        lines.append(
            f"| {name} | {found['people']:.3f} | {found['places']:.3f} | "
            f"{found['places_named']:.3f} | {found['values_per_story']} |"
        )
    return "\n".join(lines) + "\n"


# --- throughput ------------------------------------------------------------------------------


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def throughput(processes: int, sample: int = THROUGHPUT_SAMPLE) -> dict[str, Any]:
    """Articles/s of `recognize` (clean-up included) on a fresh pool, model loading included."""
    stories = read_reuters(sample)
    items = [(text.split("\n\n", 1)[0], text.split("\n\n", 1)[-1], "en") for text, _ in stories]
    started = time.perf_counter()
    if processes == 1:
        count = len(recognize(items))
    else:
        with ProcessPoolExecutor(processes) as pool:
            count = sum(len(r) for r in pool.map(recognize, _chunks(items, 100)))
    seconds = time.perf_counter() - started
    return {
        "processes": processes,
        "articles": count,
        "seconds": round(seconds, 1),
        "articles_per_second": round(count / seconds, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.quality.entities", description=__doc__)
    parser.add_argument("--throughput", action="store_true", help="measure NER articles/s")
    args = parser.parse_args(argv)
    if args.throughput:
        rows = [throughput(n) for n in (1, 2)]
        print(json.dumps(rows, indent=1))
        return 0
    results = run()
    print(json.dumps(results, indent=1), file=sys.stderr)
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
