"""Moving through a page with the keyboard only, as a reader without a mouse does."""

from __future__ import annotations

from typing import Any

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id || "",
    text: (el.innerText || el.value || "").replace(/\\s+/g, " ").trim(),
    label: el.getAttribute("aria-label") || "",
    href: el.getAttribute("href") || "",
  };
}"""


def tab_to(page: Any, matches: Any, limit: int = 400, describe: str = "") -> dict[str, str]:
    """Press Tab until the focused element satisfies ``matches(info)``; fail after ``limit``."""
    seen: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = page.evaluate(FOCUSED)
        if info is None:
            continue
        if matches(info):
            return info
        seen.append(info["text"][:40] or info["id"] or info["href"])
    raise AssertionError(
        f"no focusable element {describe} after {limit} Tabs; passed: {seen[-30:]}"
    )


def link_text(text: str) -> Any:
    return lambda info: info["tag"] == "a" and info["text"] == text


def link_starting(text: str) -> Any:
    return lambda info: info["tag"] == "a" and info["text"].startswith(text)
