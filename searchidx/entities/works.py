"""Names that are works, products, awards or events, not people, bodies or places.

spaCy's small model tags "Oscar" a person, "iPod" and "Vera Drake" organisations. Two kinds of
evidence, recorded per article at NER time, are summed over the corpus here:

- spaCy's own labels: a mention it labels PRODUCT, WORK_OF_ART, EVENT or LAW (cue kind `other`);
- the `work` cue of `entities/cues.py`: the words around a mention name a work, product or
  award ("the film Vera Drake", "Oscar-winning", "the Xbox console", "Apple's iPod").

A name is junk when the context evidence is in `CONTEXT_SHARE` of the articles that tag it, or
spaCy's other labels in `LABEL_SHARE` of them (the small model's PRODUCT is noisy: it labels
"Mr Straw" so), and in `WORK_ARTICLES` articles at least; so is its plural ("Oscars" beside
"Oscar"). Countries never are. `searchidx entities --dropped` lists them with the reason,
`kind: + Name` in the alias file keeps one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from searchidx.entities.clean import variant_key
from searchidx.entities.record import ArticleEntities

LABEL_CUES = frozenset(("product", "art", "event", "law"))  # cues of kind `other`
WORK_ARTICLES = 2  # articles with evidence a name needs at least
CONTEXT_SHARE = 0.3  # ... and the share of the articles tagging it they must make: `work` cues
LABEL_SHARE = 0.5  # ... spaCy's other labels
REASON = "a work, product, award or event"


def work_names(
    per_article: list[ArticleEntities], named: Mapping[str, int], countries: frozenset[str]
) -> set[str]:
    """Variant keys of the names the evidence makes works, products, awards or events;
    `named` is the number of articles that tag each key (in any kind)."""
    context: Counter[str] = Counter()
    labels: Counter[str] = Counter()
    for entities in per_article:
        cues = entities.cues
        context.update({variant_key(v) for k, v, cue in cues if cue == "work" and k != "other"})
        labels.update({variant_key(v) for k, v, cue in cues if k == "other" and cue in LABEL_CUES})
    found = {
        key
        for evidence, share in ((context, CONTEXT_SHARE), (labels, LABEL_SHARE))
        for key, count in evidence.items()
        if count >= WORK_ARTICLES and count >= share * named.get(key, 0) and key not in countries
    }
    # a plural of a work named less often than the work is one too: "Oscars", "iPods" (not
    # "Wasps" beside "Wasp")
    return found | {
        key
        for key in named
        if key.endswith("s") and key[:-1] in found and named[key] <= named.get(key[:-1], 0)
    }
