"""Language detection with py3langid, trusted only when confident and the text is long enough."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

MIN_LETTERS = 200  # shorter texts are too easily misread
MIN_PROBABILITY = 0.95
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import _load_identifier

    return _load_identifier(norm_probs=True)


def detect_language(text: str, default: str | None = None) -> str | None:
    """ISO 639-1 code of `text`, or `default` when the text is short or the guess unsure.

    Tables of sports results or prices are easily mistaken for another language: with few
    letters, or a low probability, the default stands.
    """
    sample = text[:5000]
    if len(_LETTERS.findall(sample)) < MIN_LETTERS:
        return default
    code, probability = _identifier().classify(sample)
    if probability < MIN_PROBABILITY:
        return default
    return str(code)
