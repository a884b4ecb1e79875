"""guide/docs/importing.md documents every field, header word and option the importer reads."""

from __future__ import annotations

from generator.commands.importing import import_command
from generator.importers.columns import FIELDS, SYNONYMS, MappingFile
from generator.site.models import MISSING_WORDS
from tests.conftest import REPO

DOC = (REPO / "guide/docs/importing.md").read_text(encoding="utf-8")


def test_every_mapping_field_is_documented() -> None:
    for name in MappingFile.model_fields:
        assert f"{name}:" in DOC, name
    for name in FIELDS:
        assert f"| {name} |" in DOC, name


def test_every_header_word_is_documented() -> None:
    for name, words in SYNONYMS.items():
        row = f"| {name.replace(' ', '_')} | {', '.join(words)} |"
        assert row in DOC, row


def test_the_main_missing_words_are_documented() -> None:
    for word in ("TBC", "n/a", "not available", "not due", "[c]", "[x]"):
        assert word.lower() in DOC.lower(), word
    assert set(MISSING_WORDS.values()) <= {"tbc", "not_available", "not_due", "suppressed"}


def test_every_option_is_documented() -> None:
    for param in import_command.params:
        for option in getattr(param, "opts", []):
            if option.startswith("--"):
                assert option in DOC, option
