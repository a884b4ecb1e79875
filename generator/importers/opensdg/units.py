"""Open SDG units ("Percentage (%)", "Rate per 100,000 population", "GBP (£ thousands)") as
perfpages unit fields, so that values read as "18.5%", "2.4 per 100,000 population", "£1.2m".
"""

from __future__ import annotations

import re
from typing import Any

_CURRENCIES = {"gbp": "GBP", "£": "GBP", "usd": "USD", "$": "USD", "eur": "EUR", "€": "EUR"}
_SCALES = {
    "thousand": "thousand",
    "thousands": "thousand",
    "million": "million",
    "millions": "million",
    "billion": "billion",
    "billions": "billion",
}


def _label(text: str) -> str:
    """'Tonnes per hectare' -> 'tonnes per hectare'; acronyms keep their capitals."""
    text = " ".join(text.split())
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def unit_fields(units: str, multiplier: str = "") -> dict[str, Any]:
    """unit, and where needed unit_label, currency and scale, for one series' units."""
    text = " ".join(units.split())
    lower = text.lower()
    scale = _SCALES.get(multiplier.strip().lower(), "")
    if not text:
        return {"unit": "number", **({"unit_label": scale} if scale else {})}
    currency = _currency(lower)
    if currency:
        fields: dict[str, Any] = {"unit": "currency", "currency": currency}
        found = re.search(r"\b(thousands?|millions?|billions?)\b", lower)
        scale = _SCALES[found[1]] if found else scale
        if scale:
            fields["scale"] = scale
        rest = re.sub(r"\([^)]*\)", "", text)
        rest = re.sub(r"(?i)\b(constant|current)?\s*(gbp|usd|eur)\b|[£$€]", "", rest).strip(" ,")
        words = []
        if "constant" in lower:
            words.append("constant prices")
        if rest:
            words.append(_label(rest))
        if words:
            fields["unit_label"] = ", ".join(words)
        return fields
    label_prefix = f"{scale} " if scale else ""
    if "%" in text or re.search(r"\bpercent(age)?\b", lower):
        fields = {"unit": "percent"}
        if scale:
            fields["unit_label"] = scale
        return fields
    if m := re.match(r"(?i)rate (per [\d,]+.*)", text):
        return {"unit": "rate", "unit_label": label_prefix + _label(m[1])}
    if lower in ("number", "units", "unit", "count"):
        return {"unit": "number", **({"unit_label": scale} if scale else {})}
    if lower == "ratio":
        return {"unit": "ratio", **({"unit_label": scale} if scale else {})}
    if lower == "score":
        return {"unit": "score"}
    return {"unit": "number", "unit_label": label_prefix + _label(text)}


def _currency(lower: str) -> str | None:
    head = re.match(r"(?:constant |current )?(gbp|usd|eur)\b", lower)
    if head:
        return _CURRENCIES[head[1]]
    if lower.startswith(("£", "$", "€")):
        return _CURRENCIES[lower[0]]
    return None
