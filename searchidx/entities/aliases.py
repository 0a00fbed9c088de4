"""Corpus-wide alias table: variants of one entity share one canonical value."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from searchidx.entities.clean import strip_nationality, variant_key
from searchidx.entities.decide import Decisions, decide
from searchidx.entities.overrides import Overrides, read_overrides
from searchidx.entities.record import KINDS, ArticleEntities
from searchidx.entities.words import country_acronyms

FORMAT_VERSION = 2  # 2: corpus decisions (kinds, junk, joins) recorded

# Merges that are safe whatever the corpus: the same country written differently. "America" is
# left out on purpose (continent or country), so are "Britain"/"England" and "Holland".
BUILT_IN: dict[str, tuple[tuple[str, ...], ...]] = {
    "places": (
        ("United States", "U.S.", "US", "USA", "U.S.A.", "United States of America"),
        ("United Kingdom", "U.K.", "UK"),
        ("United Arab Emirates", "UAE", "U.A.E."),
        ("Soviet Union", "USSR", "U.S.S.R."),
    ),
    "organisations": (("European Union", "EU", "E.U."),),
}


class _Groups:
    """Union-find over the forms of one kind."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def add(self, form: str) -> None:
        self.parent.setdefault(form, form)

    def find(self, form: str) -> str:
        root = form
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[form] != root:
            self.parent[form], form = root, self.parent[form]
        return root

    def union(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)

    def groups(self) -> dict[str, list[str]]:
        result: dict[str, list[str]] = defaultdict(list)
        for form in self.parent:
            result[self.find(form)].append(form)
        return result


def _order_key(value: str) -> str:
    return " ".join(sorted(variant_key(value).split()))


def _kind_groups(
    counts: Counter[str],
    acronyms: dict[str, set[str]],
    overrides: Overrides,
    kind: str,
    joins: dict[str, str] | None = None,
) -> list[tuple[str, list[str]]]:
    """(canonical, forms) for each entity of one kind."""
    splits, drops = overrides.splits[kind], overrides.drops[kind]
    groups = _Groups()
    by_key: dict[str, str] = {}
    by_order: dict[str, str] = {}
    for form in sorted(counts):
        key = variant_key(form)
        if key in drops:
            continue
        groups.add(form)
        if key in splits:
            continue
        # case and punctuation variants: "U.S." / "US"
        groups.union(form, by_key.setdefault(key, form))
        # word-order variants of organisation names: "General Reconnaissance Bureau"
        if kind == "organisations" and len(key.split()) >= 2:
            groups.union(form, by_order.setdefault(_order_key(form), form))
    if kind == "organisations":
        # a plural of an organisation's (product's) name: "Apple iPods" / "Apple iPod"
        for key, form in list(by_key.items()):
            single = by_key.get(key[:-1]) if key.endswith("s") and len(key) > 3 else None
            if single is not None and key not in splits and key[:-1] not in splits:
                groups.union(form, single)
            # a party is called by its name alone: "Labour Party" / "Labour"
            bare = by_key.get(key[: -len(" party")]) if key.endswith(" party") else None
            if bare is not None and key not in splits and variant_key(bare) not in splits:
                groups.union(form, bare)
    if kind == "organisations":
        # "North Korean Defense Ministry" joins "Defense Ministry" when that form exists too
        for form in list(groups.parent):
            rest = strip_nationality(form)
            if rest is not None and variant_key(form) not in splits:
                bare = by_key.get(variant_key(rest))
                if bare is not None and variant_key(bare) not in splits:
                    groups.union(form, bare)
    for variants in BUILT_IN.get(kind, ()):
        _merge_named(groups, by_key, variants, splits, drops)
    if kind == "places":
        # a country's initials ("DPRK") are the country, once an article uses them
        for acronym, name in country_acronyms().items():
            if acronym in by_key:
                _merge_named(groups, by_key, (name, by_key[acronym]), splits, drops)
    for acronym, full_keys in acronyms.items():
        fulls = {groups.find(by_key[k]) for k in full_keys if k in by_key}
        # one acronym defined as two different things in the corpus: merge neither
        if len(fulls) == 1 and variant_key(acronym) not in splits | drops:
            _merge_named(groups, by_key, (next(iter(fulls)), acronym), splits, drops)
    # a lone surname or first name joins the one full name it stands for (decide.py)
    lone = set()
    for key, full in (joins or {}).items():
        if key in by_key and variant_key(full) in by_key:
            groups.union(by_key[key], by_key[variant_key(full)])
            lone.add(by_key[key])
    forced: dict[str, str] = {}
    for canonical, variants in overrides.merges[kind]:
        root = _merge_named(groups, by_key, (canonical, *variants), set(), set(), force=True)
        if root is not None:
            forced[groups.find(root)] = canonical
    result = []
    for root, forms in groups.groups().items():
        chosen = forced.get(groups.find(root))
        if chosen is None:
            # the form most articles use; ties: the longest, then alphabetical
            canonical = min(forms, key=lambda f: (f in lone, -counts.get(f, 0), -len(f), f))
        else:
            canonical = chosen
            if canonical not in forms:
                forms.append(canonical)
        result.append((canonical, forms))
    return result


def _merge_named(
    groups: _Groups,
    by_key: dict[str, str],
    names: tuple[str, ...],
    splits: set[str],
    drops: set[str],
    force: bool = False,
) -> str | None:
    """Union the named forms (and their seen variants). Unseen names join as extra variants
    (so a query for them resolves) once one name is seen, or always when `force`."""
    keys = [variant_key(n) for n in names]
    usable = [(n, k) for n, k in zip(names, keys, strict=True) if k not in splits | drops]
    if not force and not any(k in by_key for _, k in usable):
        return None
    members: list[str] = []
    for name, key in usable:
        seen = by_key.get(key)
        if seen is None:
            groups.add(name)
            by_key[key] = seen = name
        members.append(seen)
    for member in members[1:]:
        groups.union(member, members[0])
    return members[0] if members else None


class AliasTable:
    """Variant -> canonical value, per kind; inspectable, stored as JSON in the index."""

    def __init__(
        self,
        forms: dict[str, dict[str, list[str]]],
        articles: dict[str, dict[str, int]],
        dropped: dict[str, set[str]],
        decisions: Decisions | None = None,
    ) -> None:
        self.decisions = decisions or Decisions()
        self._forms = forms  # kind -> canonical -> every form seen (canonical included)
        self._articles = articles  # kind -> canonical -> number of articles naming it
        self._dropped = dropped  # kind -> variant keys the user dropped
        self._lookup: dict[str, dict[str, str]] = {}
        for kind in KINDS:
            table: dict[str, str] = {}
            for canonical, variants in forms.get(kind, {}).items():
                for form in (canonical, *variants):
                    table.setdefault(form.lower(), canonical)
                    table.setdefault(variant_key(form), canonical)
            self._lookup[kind] = table

    @classmethod
    def build(
        cls, per_article: Iterable[ArticleEntities], overrides: Path | Overrides | None = None
    ) -> AliasTable:
        rules = overrides if isinstance(overrides, Overrides) else read_overrides(overrides)
        decisions = decide(per_article := list(per_article), rules)
        per_article = [decisions.apply(entities) for entities in per_article]
        counts: dict[str, Counter[str]] = {kind: Counter() for kind in KINDS}
        acronyms: dict[str, dict[str, set[str]]] = {kind: defaultdict(set) for kind in KINDS}
        for entities in per_article:
            for kind in KINDS:
                counts[kind].update(set(entities.values(kind)))
            for kind, acronym, full in entities.acronyms:
                if kind in acronyms:
                    acronyms[kind][acronym].add(variant_key(full))
        forms: dict[str, dict[str, list[str]]] = {}
        articles: dict[str, dict[str, int]] = {}
        for kind in KINDS:
            joins = {"people": decisions.joins, "organisations": decisions.org_joins}.get(kind)
            groups = _kind_groups(counts[kind], acronyms[kind], rules, kind, joins)
            forms[kind] = {canonical: sorted(set(group)) for canonical, group in groups}
            articles[kind] = {}
        table = cls(forms, articles, rules.drops, decisions)
        table.count(per_article)
        return table

    def count(self, per_article: Iterable[ArticleEntities]) -> None:
        """Record how many articles name each canonical value (after `apply`)."""
        for kind in KINDS:
            self._articles[kind] = {canonical: 0 for canonical in self._forms[kind]}
        for entities in per_article:
            applied = self.apply(entities)
            for kind in KINDS:
                for value in applied.values(kind):
                    self._articles[kind][value] = self._articles[kind].get(value, 0) + 1

    def canonical(self, kind: str, value: str) -> str:
        """The canonical value of `value`; "" when the user dropped it; itself when unknown."""
        if kind not in self._lookup:
            raise ValueError(f"unknown entity kind {kind!r}: use one of {', '.join(KINDS)}")
        key = variant_key(value)
        if key in self._dropped.get(kind, set()) or key in self.decisions.junk[kind]:
            return ""
        table = self._lookup[kind]
        return table.get(value.lower()) or table.get(key) or value

    def apply(self, entities: ArticleEntities) -> ArticleEntities:
        """The article's values in their decided kind, made canonical, deduplicated and sorted."""
        entities = self.decisions.apply(entities)
        values = {}
        for kind in KINDS:
            mapped = {self.canonical(kind, v) for v in entities.values(kind)}
            values[kind] = tuple(sorted(v for v in mapped if v))
        return ArticleEntities(
            people=values["people"],
            organisations=values["organisations"],
            places=values["places"],
            language=entities.language,
            acronyms=entities.acronyms,
            cues=entities.cues,
        )

    def variants(self, kind: str, value: str) -> tuple[str, ...]:
        """Every known form of the entity `value` names (canonical first), case-insensitively."""
        canonical = self.canonical(kind, value)
        forms = self._forms[kind].get(canonical)
        if not forms:
            return (canonical,) if canonical else ()
        return (canonical, *sorted(f for f in forms if f != canonical))

    def entries(self, kind: str) -> list[tuple[str, tuple[str, ...], int]]:
        """(canonical, other forms, articles) for every entity with more than one form."""
        rows = []
        for canonical, forms in self._forms[kind].items():
            others = tuple(f for f in forms if f != canonical)
            if others:
                rows.append((canonical, others, self._articles[kind].get(canonical, 0)))
        return sorted(rows, key=lambda row: (-row[2], row[0].lower()))

    def top(self, kind: str, limit: int = 20) -> list[tuple[str, int]]:
        counts = self._articles[kind].items()
        return sorted(counts, key=lambda item: (-item[1], item[0].lower()))[:limit]

    def matching(self, kind: str, text: str, limit: int = 20) -> list[tuple[str, int]]:
        """Values (over all of them, not only the top) whose name or a variant contains `text`,
        case- and punctuation-blind; most articles first."""
        wanted = variant_key(text)
        rows = [
            (canonical, count)
            for canonical, count in self._articles[kind].items()
            if any(wanted in variant_key(f) for f in self._forms[kind].get(canonical, [canonical]))
        ]
        return sorted(rows, key=lambda item: (-item[1], item[0].lower()))[:limit]

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {kind: dict(sorted(self._lookup[kind].items())) for kind in KINDS}
        data["version"] = FORMAT_VERSION
        data["forms"] = {kind: self._forms[kind] for kind in KINDS}
        data["articles"] = {kind: self._articles[kind] for kind in KINDS}
        data["dropped"] = {kind: sorted(self._dropped.get(kind, set())) for kind in KINDS}
        data["kinds"] = dict(sorted(self.decisions.kind.items()))
        data["joins"] = dict(sorted(self.decisions.joins.items()))
        data["org_joins"] = dict(sorted(self.decisions.org_joins.items()))
        data["teams"] = dict(sorted(self.decisions.teams.items()))
        data["junk"] = {
            kind: {
                key: [reason, *self.decisions.junk_seen[kind].get(key, (key, 0))]
                for key, reason in sorted(self.decisions.junk[kind].items())
            }
            for kind in KINDS
        }
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AliasTable:
        forms = data.get("forms")
        if forms is None:
            # only the variant -> canonical mapping: rebuild the groups from it
            forms = {kind: {} for kind in KINDS}
            for kind in KINDS:
                for variant, canonical in data.get(kind, {}).items():
                    forms[kind].setdefault(canonical, [canonical])
                    if variant != canonical.lower() and variant != variant_key(canonical):
                        forms[kind][canonical].append(variant)
        articles = data.get("articles") or {kind: {} for kind in KINDS}
        dropped = {kind: set(data.get("dropped", {}).get(kind, ())) for kind in KINDS}
        decisions = Decisions(
            kind=dict(data.get("kinds", {})),
            joins=dict(data.get("joins", {})),
            org_joins=dict(data.get("org_joins", {})),
            teams=dict(data.get("teams", {})),
        )
        for kind in KINDS:
            for key, (reason, form, count) in data.get("junk", {}).get(kind, {}).items():
                decisions.junk[kind][key] = reason
                decisions.junk_seen[kind][key] = (form, int(count))
        return cls(
            {kind: dict(forms.get(kind, {})) for kind in KINDS},
            {kind: dict(articles.get(kind, {})) for kind in KINDS},
            dropped,
            decisions,
        )

    def junk(self, kind: str) -> list[tuple[str, str, int]]:
        """(a form seen, reason, articles) of each value the junk filter dropped, most first."""
        rows = [
            (self.decisions.junk_seen[kind].get(key, (key, 0))[0], reason,
             self.decisions.junk_seen[kind].get(key, (key, 0))[1])
            for key, reason in self.decisions.junk[kind].items()
        ]  # fmt: skip
        return sorted(rows, key=lambda row: (-row[2], row[0].lower()))
