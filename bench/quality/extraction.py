"""HTML extraction quality on fundus_dev: our reader against trafilatura alone, same pages.

Run: `python -m bench.quality.extraction` (writes bench/results/quality-extraction.json and
prints a markdown table). `run()` and `markdown()` are what `make quality` aggregates.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import sys
import time
import unicodedata
import warnings
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from searchidx.corpus.outlets import fold_outlets
from searchidx.corpus.readers.html import read_html
from searchidx.corpus.readers.html_dates import parse_date
from searchidx.corpus.readers.html_meta import host_label

SHARED = Path(os.environ.get("SEARCHIDX_SHARED_CORPORA", "/work/shared/corpora"))
CORPUS = SHARED / "fundus_dev"
REPO = Path(__file__).resolve().parents[2]
RESULTS = REPO / "bench" / "results" / "quality-extraction.json"
FIELDS = ("title", "date", "outlet", "body_f1", "authors")
AIMS = {"title": 0.95, "date": 0.97, "outlet": 0.95, "body_f1": 0.95}
_TOKEN = re.compile(r"\w+", re.UNICODE)
_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def normalise(text: str | None) -> str:
    """Lower case, compatibility forms, no punctuation, single spaces."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).lower().replace("\u00ad", "")
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def fold_accents(text: str) -> set[str]:
    """Spellings of a name without accents: fundus names publishers by ASCII identifiers
    (SeznamZpravy, BoersenZeitung), so both ö -> o and the German ö -> oe are tried."""
    german = text.translate(_GERMAN)
    forms = set()
    for form in (text, german):
        decomposed = unicodedata.normalize("NFKD", form.replace("ı", "i"))
        forms.add("".join(c for c in decomposed if not unicodedata.combining(c)))
    return forms


def title_agrees(found: str | None, expected: str) -> bool:
    return bool(found) and normalise(found) == normalise(expected)


def utc_day(value: datetime | None) -> date | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).date()


def date_agrees(found: datetime | None, expected: str) -> bool:
    parsed = parse_date(expected)
    return found is not None and parsed is not None and utc_day(found) == utc_day(parsed[0])


def _contain(a: str, b: str) -> bool:
    return bool(a) and bool(b) and (a in b or b in a)


def outlet_agrees(found: str | None, expected: str, page_url: str) -> bool:
    """Equal or containing one another (case, punctuation and spaces ignored), or both naming
    the page host's main label: SpiegelOnline ~ DER SPIEGEL ~ spiegel.de."""
    if not found:
        return False
    if "." in found and " " not in found.strip():
        found = host_label(found) or found  # an outlet given as a host name
    theirs = normalise(expected).replace(" ", "")
    label = normalise(host_label(page_url)).replace(" ", "")
    for mine in fold_accents(normalise(found).replace(" ", "")):
        if _contain(mine, theirs) or (_contain(mine, label) and _contain(theirs, label)):
            return True
    return False


def authors_agree(found: list[str] | None, expected: list[str]) -> bool:
    """The same set of names (case, punctuation, spaces ignored); not one of issue 3's four."""
    return {normalise(name) for name in found or []} == {normalise(name) for name in expected}


def token_f1(found: str, expected: str) -> float:
    """Bag-of-words F1 over lower-cased word tokens."""
    got = Counter(_TOKEN.findall(found.lower()))
    want = Counter(_TOKEN.findall(expected.lower()))
    overlap = sum((got & want).values())
    if not overlap:
        return 0.0
    precision = overlap / sum(got.values())
    recall = overlap / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def expected_body(truth: dict[str, Any]) -> str:
    """Summary, section headlines and paragraphs: all the text fundus counts as the article."""
    body = truth.get("body") or {}
    parts = list(body.get("summary") or [])
    for section in body.get("sections") or []:
        parts.extend(section.get("headline") or [])
        parts.extend(section.get("paragraphs") or [])
    return "\n".join(parts)


def _ours(rel: str, raw: bytes) -> dict[str, Any]:
    # as `read_file` gives it: outlet spellings folded (searchidx/corpus/outlets.py)
    result = fold_outlets(read_html(CORPUS / rel, rel, raw))
    if not result.articles:
        return {"problem": "; ".join(p.reason for p in result.problems)}
    article = result.articles[0]
    return {
        "title": article.title,
        "date": article.published,
        "outlet": article.outlet,
        "authors": list(article.authors),
        "body": article.body,
    }


def _trafilatura(rel: str, raw: bytes) -> dict[str, Any]:
    import trafilatura

    page = gzip.decompress(raw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            document = trafilatura.bare_extraction(page, with_metadata=True)
        except Exception as error:  # noqa: BLE001 - count a crash as a miss, keep measuring
            return {"problem": f"{type(error).__name__}: {error}"}
    if document is None or isinstance(document, dict):
        return {"problem": "nothing extracted"}
    parsed = parse_date(document.date) if document.date else None
    return {
        "title": document.title,
        "date": parsed[0] if parsed else None,
        "outlet": document.sitename,
        "authors": [a.strip() for a in (document.author or "").split(";") if a.strip()],
        "body": document.text or "",
    }


EXTRACTORS: dict[str, Callable[[str, bytes], dict[str, Any]]] = {
    "searchidx": _ours,
    "trafilatura": _trafilatura,
}


def _score(found: dict[str, Any], page: dict[str, Any], truth: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": title_agrees(found.get("title"), page["title"]),
        "date": date_agrees(found.get("date"), page["publishing_date"]),
        "outlet": outlet_agrees(found.get("outlet"), page["publisher"], page["url"]),
        "body_f1": round(token_f1(found.get("body") or "", expected_body(truth)), 4),
        "authors": authors_agree(found.get("authors"), page.get("authors") or []),
    }


def run(corpus: Path = CORPUS, limit: int | None = None) -> dict[str, Any]:
    """Score every extractor on every page of fundus_dev; returns totals and per-page rows."""
    manifest = json.loads((corpus / "MANIFEST.json").read_text(encoding="utf-8"))[:limit]
    truths: dict[str, dict[str, Any]] = {}
    pages: list[dict[str, Any]] = []
    seconds = dict.fromkeys(EXTRACTORS, 0.0)
    for page in manifest:
        if page["truth_json"] not in truths:
            truths[page["truth_json"]] = json.loads((corpus / page["truth_json"]).read_text())
        truth = truths[page["truth_json"]][page["truth_key"]]
        raw = (corpus / page["html"]).read_bytes()
        row: dict[str, Any] = {
            "page": page["html"],
            "publisher": page["publisher"],
            "expected": {
                "title": page["title"],
                "date": page["publishing_date"],
                "outlet": page["publisher"],
                "authors": page.get("authors") or [],
            },
        }
        for name, extract in EXTRACTORS.items():
            started = time.perf_counter()
            found = extract(page["html"], raw)
            seconds[name] += time.perf_counter() - started
            row[name] = {**_score(found, page, truth), "found": _shown(found)}
        pages.append(row)
    totals = {
        name: {
            field: round(sum(float(p[name][field]) for p in pages) / max(len(pages), 1), 4)
            for field in FIELDS
        }
        | {"seconds": round(seconds[name], 1)}
        for name in EXTRACTORS
    }
    return {
        "corpus": str(corpus),
        "pages": len(pages),
        "taken": datetime.now(UTC).isoformat(timespec="seconds"),
        "totals": totals,
        "aims": AIMS,
        "per_page": pages,
    }


def _shown(found: dict[str, Any]) -> dict[str, Any]:
    """The extracted fields as JSON, the body cut short: enough to see why a page missed."""
    shown = {k: v for k, v in found.items() if k != "body"}
    if isinstance(shown.get("date"), datetime):
        shown["date"] = shown["date"].isoformat()
    shown["body_start"] = (found.get("body") or "")[:120]
    return shown


def markdown(results: dict[str, Any]) -> str:
    """The totals as a markdown table, one row per extractor."""
    lines = [
        f"fundus_dev, {results['pages']} pages, taken {results['taken']}",
        "",
        "| extractor | title | date (UTC day) | outlet | body token F1 | authors | seconds |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, total in results["totals"].items():
        lines.append(
            f"| {name} | {total['title']:.1%} | {total['date']:.1%} | {total['outlet']:.1%} "
            f"| {total['body_f1']:.3f} | {total['authors']:.1%} | {total['seconds']} |"
        )
    aims = results["aims"]
    lines.append(
        f"| aim | {aims['title']:.0%} | {aims['date']:.0%} | {aims['outlet']:.0%} "
        f"| {aims['body_f1']:.2f} | | |"
    )
    return "\n".join(lines)


def misses(results: dict[str, Any], field: str, extractor: str = "searchidx") -> str:
    """The pages where `extractor` got `field` wrong: page, expected, found (to look for general
    patterns, not to fit single pages)."""
    lines = []
    for row in results["per_page"]:
        scored = row[extractor]
        if scored[field] is True or (field == "body_f1" and scored[field] >= 0.9):
            continue
        expected = row["expected"].get(field, "") if field != "body_f1" else scored[field]
        found = scored["found"].get(field if field != "body_f1" else "body_start")
        lines.append(f"{row['page']}\n  expected: {expected!r}\n  found:    {found!r}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not (CORPUS / "MANIFEST.json").is_file():
        print(f"fundus_dev not found at {CORPUS}", file=sys.stderr)
        return 1
    results = run()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(markdown(results))
    if "--misses" in args:  # --misses FIELD: title, date, outlet, authors or body_f1
        field = args[args.index("--misses") + 1] if len(args) > args.index("--misses") + 1 else ""
        if field not in FIELDS:
            print(f"--misses takes one of {', '.join(FIELDS)}", file=sys.stderr)
            return 2
        print(misses(results, field))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
