"""PyYAML's syntax errors in words a performance officer can act on.

PyYAML reports where its parser gave up, which is often lines after the mistake (an unclosed
quote is reported at the end of the file) and in its own terms ("expected <block end>, but
found '<scalar>'"). Here each kind of error is mapped to the line where the mistake is and a
message that says what to write, with the user's own field in the example where possible.
"""

from __future__ import annotations

import re

import yaml

_KEY_LINE = re.compile(
    r"^(?P<indent>\s*(?:-\s+)?)(?P<key>[^\s:#'\"][^:#]*?):(?:\s+(?P<value>.*))?$"
)


def explain(error: yaml.MarkedYAMLError, text: str) -> tuple[int, str]:
    """The line (1-based) and the message for one PyYAML syntax error in ``text``."""
    problem = (error.problem or "").strip()
    context = (error.context or "").strip()
    lines = text.splitlines()
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark else 0
    column = mark.column if mark else 0
    start = error.context_mark.line + 1 if error.context_mark else line

    def text_of(number: int) -> str:
        return lines[number - 1] if 0 < number <= len(lines) else ""

    if "expected a single document" in context or "but found another document" in problem:
        return line, "holds more than one YAML document ('---'); keep one indicator per file"
    if "found undefined alias" in problem:
        name = problem.rsplit(" ", 1)[-1].strip("'")
        return line, (
            f"*{name} refers to an anchor &{name} that is not defined above it; a value that "
            f'starts with "*" must be in double quotes, e.g. {_quoted(text_of(line))}'
        )
    if context == "while scanning an alias":
        return start, (
            'a value that starts with "*" is read by YAML as a reference to an anchor; put the '
            f"whole value in double quotes, e.g. {_quoted(text_of(start))}"
        )
    if "cannot start any token" in problem:
        char = problem.split("'")[1] if "'" in problem else problem
        return line, (
            f'a value cannot start with "{char}" in YAML; put the whole value in double '
            f"quotes, e.g. {_quoted(text_of(line))}"
        )
    if context in ("while parsing a flow sequence", "while parsing a flow mapping"):
        opening, closing = ("[", "]") if "sequence" in context else ("{", "}")
        message = f'the "{opening}" on this line is not closed with "{closing}"; close it'
        value = text_of(start).split(opening, 1)[-1]
        if ":" in value:  # {percent: 5 - fields in braces, the closing brace is what is missing
            return start, message
        return start, (
            f'{message}, or, if "{opening}" is part of the text, put the whole value in double '
            f"quotes, e.g. {_quoted(text_of(start))}"
        )
    if context in ("while scanning a quoted scalar", "while scanning a double-quoted scalar"):
        return start, (
            "the quoted text that starts on this line is not closed; add the closing quote"
        )
    if context == "while scanning a simple key" or "could not find expected ':'" in problem:
        return start, (
            "this line is not 'field: value': add a colon and a space after the field name, "
            "or indent the line if it continues the text above"
        )
    if context == "while scanning a block scalar":
        return start, (
            'after "|" or ">" the text starts on the next line, indented; move the text there'
        )
    if "mapping values are not allowed" in problem:
        return line, _colon_or_indent(text_of(line), column, _previous(lines, line))
    if "expected <block end>" in problem:
        here = text_of(line)
        before = here[:column]
        closers = [c for c in before if c in "'\"]}"]
        if "'<scalar>'" in problem and closers:
            what = "quote" if closers[-1] in "'\"" else "bracket"
            return line, (
                f"the value goes on after a closing {what}; put the whole value in double "
                f'quotes (a quote inside it is written \\"), e.g. {_quoted(here)}'
            )
        if "'-'" in problem or "block sequence start" in problem:
            return line, (
                "this list item ('- ') is not lined up with the items above it, or the field "
                "it belongs to is missing; put each '- ' under its field, indented the same"
            )
        return line, _indent_message(here, _previous(lines, line))
    detail = problem or context or "syntax error"
    return line, f"is not valid YAML ({detail}); check the indentation and quoting on this line"


def _previous(lines: list[str], number: int) -> str:
    """The nearest line above ``number`` with content (not blank, not a comment)."""
    for text in reversed(lines[: max(0, number - 1)]):
        if text.strip() and not text.lstrip().startswith("#"):
            return text
    return ""


def _column_of_key(text: str) -> int:
    match = _KEY_LINE.match(text)
    return len(match["indent"]) if match else len(text) - len(text.lstrip())


def _indent_message(here: str, above: str) -> str:
    mine, theirs = _column_of_key(here), _column_of_key(above)
    if mine != theirs and above:
        return (
            f"this line's field starts in column {mine + 1} but the one above starts in column "
            f"{theirs + 1}; fields at the same level must start in the same column"
        )
    return (
        "this line is not indented like the lines around it; fields at the same level must "
        "start in the same column"
    )


def _colon_or_indent(here: str, column: int, above: str) -> str:
    match = _KEY_LINE.match(here)
    first_colon = len(match["indent"]) + len(match["key"]) if match else -1
    if column == first_colon:
        # The line itself is a good "field: value": YAML read it as text continuing the value
        # above, which happens when it is indented more than the fields it belongs with.
        return _indent_message(here, above)
    return (
        "a value contains ': ', which YAML reads as a new field; put the whole value in double "
        f"quotes, e.g. {_quoted(here)}"
    )


def _quoted(line: str) -> str:
    """The user's own line with its value in double quotes (or a generic example)."""
    match = _KEY_LINE.match(line.rstrip())
    if not match or not match["value"]:
        return 'title: "Outcome: fewer delays"'
    key, value = match["key"].strip(), match["value"].strip()
    if value.startswith("'"):
        # Single quotes around a text with an apostrophe in it ('don't'): keep the apostrophe.
        value = value[1:-1] if value.endswith("'") and len(value) > 1 else value[1:]
    value = value.replace("\\", "\\\\").replace('"', '\\"')
    if len(value) > 40:
        value = value[:37] + "..."
    return f'{key}: "{value}"'
