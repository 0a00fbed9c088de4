"""Named entities: spaCy NER, clean-up, in-article name merging, corpus aliases, the NER cache.

Flow: `recognize([(title, body, language), ...])` -> `ArticleEntities` per article (cleaned,
short person names merged), cached by `content_key(title, body)` and `model_id()` in
`EntityCache`; `AliasTable.build(all_entities, overrides)` then gives each entity one canonical
value, `AliasTable.apply` rewrites an article's values, and `to_json()` is stored in the index
as `aliases.json`. spaCy is imported only when `recognize` first runs.
"""

from __future__ import annotations

from searchidx.entities.aliases import AliasTable
from searchidx.entities.cache import EntityCache
from searchidx.entities.overrides import (
    FILE_NAME as OVERRIDES_FILE_NAME,
)
from searchidx.entities.overrides import (
    Overrides,
    OverridesError,
    overrides_path,
    parse_overrides,
    read_overrides,
)
from searchidx.entities.recognize import ModelMissing, content_key, model_id, recognize
from searchidx.entities.record import KINDS, ArticleEntities

ALIASES_FILE = "aliases.json"  # in the index generation folder

__all__ = [
    "ALIASES_FILE",
    "KINDS",
    "OVERRIDES_FILE_NAME",
    "AliasTable",
    "ArticleEntities",
    "EntityCache",
    "ModelMissing",
    "Overrides",
    "OverridesError",
    "content_key",
    "model_id",
    "overrides_path",
    "parse_overrides",
    "read_overrides",
    "recognize",
]
