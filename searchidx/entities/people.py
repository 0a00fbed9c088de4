"""In-article merging of short person mentions ("Kim") into the one fuller name they belong to."""

from __future__ import annotations

from collections.abc import Iterable

from searchidx.entities.clean import variant_key


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    """True when `shorter` is a contiguous run of the words of `longer` (and is shorter)."""
    if len(shorter) >= len(longer):
        return False
    size = len(shorter)
    return any(longer[i : i + size] == shorter for i in range(len(longer) - size + 1))


def merge_short_names(names: Iterable[str]) -> list[str]:
    """Each name of one article, with short mentions joined to their unique fuller name.

    A name whose words appear inside exactly one longest name ("Kim" and "Kim Jong Un") becomes
    that name; inside several different names it is ambiguous and dropped, never guessed; inside
    none it stays as it is. Order of first appearance is kept, duplicates removed.
    """
    unique: list[str] = []
    for name in names:
        if name not in unique:
            unique.append(name)
    words = {name: tuple(variant_key(name).split()) for name in unique}
    result: list[str] = []
    for name in unique:
        fuller = [other for other in unique if _contains(words[other], words[name])]
        # keep only the longest forms: "Jong Un" inside "Kim Jong Un" is one candidate, not two
        longest = {
            words[f]: f for f in fuller if not any(_contains(words[g], words[f]) for g in fuller)
        }
        if not fuller:
            target: str | None = name
        elif len(longest) == 1:
            target = next(iter(longest.values()))
        else:
            target = None
        if target is not None and target not in result:
            result.append(target)
    return result
