"""Typed models of the user's files (SPEC v1), with the field documentation editors see.

The JSON Schema (``perfpages schema``) and the field reference are generated from these
classes, so every field carries a description and an example.

Validators ``raise invalid(message)`` (a ``PydanticCustomError("perfpages", message)``) with the
message a user should read; ``site/validate.py`` turns pydantic's error locations into file
lines.

Every default a site gets for a setting it leaves out is named once, here (the financial year's
first month in ``periods.py``, the interface language in ``i18n.py``, both imported here):
code that needs a default has it from these names or from a model made without settings.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from typing import Annotated, Any, ClassVar, Final, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PlainSerializer,
    PlainValidator,
    Tag,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WithJsonSchema,
    WrapValidator,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

# The defaults named where the modules this one imports need them, exported with the others:
from generator.site.i18n import DEFAULT_LANGUAGE as DEFAULT_LANGUAGE
from generator.site.periods import FINANCIAL_YEAR_START_MONTH as FINANCIAL_YEAR_START_MONTH
from generator.site.periods import (
    FORMS_HELP,
    OTHER_FORMS_HELP,
    SCHEMA_PATTERN,
    Period,
    PeriodError,
    parse_period,
)
from generator.site.yaml_reader import YamlFloat, YamlInt

# ---- Defaults: what a site gets for a setting site_config.yml leaves out ----------------------
# (also DEFAULT_LANGUAGE, "en", and FINANCIAL_YEAR_START_MONTH, 4 for April, imported above)

# An indicator's latest value is stale when it is older than this before the end of the
# reporting period (ratings: stale_after_months).
STALE_AFTER_MONTHS = 12
# The reports by reporting period go back this many years at most (reports: years): a series
# from long ago (or a mistyped year, 1019 for 2019) would otherwise give a report for every
# month in between. Every value stays on its indicator's page and in the open data.
REPORT_YEARS = 10
# A printable report of more indicators than this is made in parts (reports.printable_in_parts_above).
PRINT_WHOLE_AT_MOST = 250
# A priority's short_title is at most this long: it labels a line in a list and a bar of a chart.
SHORT_TITLE_MAX = 40
# The amber band: within 5% of the target (ratings: tolerance); DEFAULT_TOLERANCE, below.
DEFAULT_TOLERANCE_PERCENT = 5
# A value's direction of travel is against the value before it (ratings: compare_with).
DEFAULT_COMPARE_WITH: Final = "previous"
# A trend (compare_with: trend) is worked out over this many periods (ratings: trend_periods),
# and may be set to any whole number from TREND_PERIODS_MIN to TREND_PERIODS_MAX.
TREND_PERIODS = 4
TREND_PERIODS_MIN = 3
TREND_PERIODS_MAX = 12

ID_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
ID_RE = re.compile(ID_PATTERN)
# An id or a content page's name becomes a folder or file name of the site, with room to spare
# for the temporary names written beside it (file systems allow 255 bytes).
MAX_NAME_CHARS = 100


def long_name(name: str) -> str | None:
    """Why ``name`` is too long to be an id or a file name of the site; None when it is not."""
    size = len(name.encode("utf-8"))
    if size <= MAX_NAME_CHARS:
        return None
    return (
        f"is {size} characters long, over the limit of {MAX_NAME_CHARS} for an id or a name "
        "(it becomes part of a web address and a file name): shorten it"
    )


def invalid(message: str) -> PydanticCustomError:
    """The error for a value that is wrong, with ``message`` saying what to write instead.

    Raise it in a validator (``raise invalid("...")``): Pydantic adds the field's place, and
    the loader shows the message as it is.
    """
    return PydanticCustomError("perfpages", message)


def _quote(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, (YamlInt, YamlFloat)):
        return value.raw
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


# ---- Text ------------------------------------------------------------------------------------


def _to_text(value: Any) -> Any:
    if isinstance(value, (YamlInt, YamlFloat)):
        return value.raw
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        raise invalid("must be text, not a list; remove the '-' items or join them into one text")
    if isinstance(value, dict):
        raise invalid(
            "must be text, not a mapping; if the text contains ': ', put it in double quotes"
        )
    return value


Text = Annotated[str, BeforeValidator(_to_text)]
"""Plain text, shown as written (no Markdown), never translated: ids, codes, addresses."""


class Localized(str):
    """Text given in several of the site's languages (``{en: ..., cy: ...}``, SPEC "Languages").
    As a ``str`` it is the text in the first of the site's languages that it is given in (the
    default language's when given); ``texts`` holds every language given, in the site's order.
    ``site/languages.py`` chooses the text of each language for its pages."""

    texts: dict[str, str]

    def __new__(cls, texts: dict[str, str], shown: str | None = None) -> Localized:
        """``shown``: the text as a page shows it, when not the first language's (a text
        marked as in another language than the page's, ``site/languages.py``)."""
        made = super().__new__(cls, next(iter(texts.values())) if shown is None else shown)
        made.texts = texts
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        return (Localized, (dict(self.texts), str(self)))


def _localized(
    value: dict[Any, Any], languages: tuple[str, ...], handler: ValidatorFunctionWrapHandler
) -> Localized:
    texts: dict[str, str] = {}
    for key in value:
        if key not in languages:
            raise invalid(
                f"{_quote(key)} is not one of the site's languages ({', '.join(languages)}); "
                "give the text under one of them (site: languages in site_config.yml)"
            )
    for language in languages:
        if language in value:
            text = value[language]
            if text is None:
                raise invalid(f"{language}: is empty; write the text, or leave the line out")
            texts[language] = handler(_to_text(text))
    if not texts:
        raise invalid(
            f"is an empty mapping; write the text, or give it per language ({', '.join(languages)})"
        )
    return Localized(texts)


def _to_words(value: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo) -> Any:
    languages = tuple((info.context or {}).get("languages") or ())
    if len(languages) < 2:
        return handler(_to_text(value))
    if isinstance(value, dict):
        return _localized(value, languages, handler)
    # Plain text on a site of several languages is in the default language.
    return Localized({languages[0]: handler(_to_text(value))})


_WORDS_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "string"},
        {
            "type": "object",
            "description": "The text in each of the site's languages (site: languages).",
            "additionalProperties": {"type": "string"},
            "minProperties": 1,
        },
    ]
}

Words = Annotated[str, WrapValidator(_to_words), WithJsonSchema(_WORDS_SCHEMA)]
"""Plain text a reader sees: shown as written (no Markdown); on a site of several languages,
text or a mapping of language to text (``Localized``)."""

Markdown = Annotated[
    str,
    WrapValidator(_to_words),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "contentMediaType": "text/markdown"},
                {
                    "type": "object",
                    "description": "The text in each of the site's languages (site: languages).",
                    "additionalProperties": {"type": "string", "contentMediaType": "text/markdown"},
                    "minProperties": 1,
                },
            ]
        }
    ),
]
"""Markdown text without raw HTML (HTML is shown as text, never as markup); per language as
``Words``."""


def _nonblank(value: str) -> str:
    for text in getattr(value, "texts", {"": value}).values():
        if not text.strip():
            raise invalid("is empty; write the text here (this field is needed)")
    return value


Title = Annotated[
    str, WrapValidator(_to_words), AfterValidator(_nonblank), WithJsonSchema(_WORDS_SCHEMA)
]
"""Plain text a reader sees that must not be empty (in every language it is given in)."""


# ---- Numbers ---------------------------------------------------------------------------------

_NUMBER_LIKE = re.compile(r"[-+]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)")
# Words written where a number should be, and the reason for a missing value each gives (SPEC:
# missing). The importer reads them from spreadsheet cells; a YAML value written as one of them
# gets a hint to write value: null with missing: instead.
MISSING_WORDS: dict[str, str] = {
    "tbc": "tbc",
    "tba": "tbc",
    "tbd": "tbc",
    "to be confirmed": "tbc",
    "to follow": "tbc",
    "awaited": "tbc",
    "pending": "tbc",
    "n/a": "not_available",
    "na": "not_available",
    "-": "not_available",
    "–": "not_available",
    "—": "not_available",
    "..": "not_available",
    ":": "not_available",
    "[x]": "not_available",
    "[z]": "not_available",
    "not available": "not_available",
    "no data": "not_available",
    "not_available": "not_available",
    "unknown": "not_available",
    "nil": "not_available",
    "none": "not_available",
    "not due": "not_due",
    "not yet due": "not_due",
    "not_due": "not_due",
    "[c]": "suppressed",
    "suppressed": "suppressed",
    "confidential": "suppressed",
}
MISSING_REASONS = ("tbc", "not_available", "not_due", "suppressed")


def missing_reason(text: str) -> str | None:
    """The reason a missing-value word gives ("TBC." -> tbc, "[x]" -> not_available), None
    for anything else; case, spaces and a closing full stop do not matter."""
    return MISSING_WORDS.get(" ".join(text.strip().lower().rstrip(".").split()) or text.strip())


def number_hint(text: str, what: str = "value") -> str:
    """What to write instead of a number written as text ("85%", "1,234", "TBC", ">72%").

    ``what`` is the kind of field: "value" (a data point), "target", or "number" (any other).
    """
    s = text.strip()
    if not s or missing_reason(s) is not None:
        if what == "value":
            return (
                f'"{s}" is not a number; for a value not yet known write value: null with '
                "missing: tbc (or not_available, not_due, suppressed)"
            )
        if what == "target":
            return f'"{s}" is not a number; leave target out until there is one'
        return f'"{s}" is not a number; write a plain number such as 85.1'
    core = s.lstrip("<>=≥≤ ").rstrip()
    fixed = number_hint_fix(core) if core else None
    if fixed is not None:
        reasons = []
        if core != s:
            reasons.append("polarity says whether higher or lower is better")
        if "%" in s:
            reasons.append("the % sign comes from unit: percent")
        if "," in s:
            reasons.append("no thousands separators")
        if any(c in s for c in "£$€"):
            reasons.append("the currency symbol comes from unit: currency")
        why = f" ({'; '.join(reasons)})" if reasons else ""
        return f'"{s}" is not a number; write {fixed}{why}'
    if what == "target":
        return (
            f'"{s}" is not a number; write the target as a number such as 90, or, when it '
            f"cannot be compared with the values, as target: {{label: {_json_text(s)}}}"
        )
    return f'"{s}" is not a number; write a plain number such as 85.1'


def _json_text(text: str) -> str:
    """Text as a double-quoted YAML string (for examples in messages)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def number_hint_fix(s: str) -> str | None:
    core = s.strip().replace("£", "").replace("$", "").replace("€", "").strip()
    scale = ""
    if core.lower().endswith(("m", "k", "bn")):
        scale = {"m": "million", "k": "thousand", "n": "billion"}[core.lower()[-1]]
        core = core.rstrip("mMkKbBnN").strip()
    core = core.rstrip("%").strip()
    if _NUMBER_LIKE.fullmatch(core):
        plain = core.replace(",", "")
        if plain.startswith("+"):
            plain = plain[1:]
        return f"{plain} with scale: {scale}" if scale else plain
    return None


def _not_finite(value: Any, what: str) -> PydanticCustomError:
    meaning = "'not a number'" if math.isnan(float(value)) else "infinity"
    if what == "value":
        return invalid(
            f"{_quote(value)} means {meaning} and cannot be shown; write a plain number such as "
            "85.1, or value: null with missing: not_available when there is none"
        )
    return invalid(f"{_quote(value)} means {meaning}; write a plain number such as 85.1")


def _to_number(value: Any, what: str = "number") -> Any:
    if isinstance(value, bool):
        raise invalid(f"{_quote(value)} is not a number; write a plain number such as 85.1")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise _not_finite(value, what)
        return value
    if isinstance(value, str):
        stripped = value.strip()
        try:
            number = float(stripped)
        except ValueError:
            raise invalid(number_hint(value, what)) from None
        if not math.isfinite(number):
            raise _not_finite(value, what)
        return number
    if value is None:
        raise invalid("needs a number")
    raise invalid(f"must be a number, not {_quote(value)}")


def _to_optional_number(value: Any) -> Any:
    return None if value is None else _to_number(value)


def _to_optional_value(value: Any) -> Any:
    return None if value is None else _to_number(value, "value")


Number = Annotated[float, BeforeValidator(_to_number)]
OptionalNumber = Annotated[float | None, BeforeValidator(_to_optional_number)]
ValueNumber = Annotated[float | None, BeforeValidator(_to_optional_value)]
"""A data point's value: the messages suggest value: null with a missing reason."""


# ---- Periods ---------------------------------------------------------------------------------


def _to_period(value: Any, info: ValidationInfo) -> Period:
    if isinstance(value, Period):
        return value
    fy = (info.context or {}).get("financial_year_start_month", FINANCIAL_YEAR_START_MONTH)
    if isinstance(value, (YamlInt, YamlFloat)):
        value = value.raw
    if isinstance(value, float):
        raise invalid(f"{value} is not a period; write one of: {FORMS_HELP}")
    try:
        return parse_period(value, fy)
    except PeriodError as e:
        raise invalid(str(e)) from None


PeriodField = Annotated[
    Period,
    PlainValidator(_to_period),
    PlainSerializer(lambda p: p.text, return_type=str),
    WithJsonSchema(
        {
            "type": ["string", "integer"],
            "description": f"A period: {FORMS_HELP}; also {OTHER_FORMS_HELP}. "
            "perfpages import writes the first forms.",
            "pattern": SCHEMA_PATTERN,
            "examples": ["2019/20 Q2", "2019-07", "2019", "Q2 2019/20", "Jun-19"],
        }
    ),
]


# ---- Shared pieces -----------------------------------------------------------------------------


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=False)


class Band(Model):
    """A distance from the target: a percentage of the target, or an amount in the measure's
    own unit (exactly one of the two, never negative). The amber band (``Tolerance``) and the
    band above target (``AboveTarget``) are both written so."""

    # The field's name in the files and a positive example, for the messages.
    FIELD: ClassVar[str] = "tolerance"
    NEGATIVE: ClassVar[str] = ""

    percent: OptionalNumber = Field(
        None, description="As a percentage of the target.", examples=[5]
    )
    absolute: OptionalNumber = Field(None, description="In the indicator's own unit.", examples=[2])

    @model_validator(mode="after")
    def _one_of(self) -> Band:
        given = [n for n in (self.percent, self.absolute) if n is not None]
        if len(given) != 1:
            raise invalid(
                f"give exactly one of percent or absolute, e.g. {self.FIELD}: {{percent: 5}}"
            )
        if given[0] < 0:
            raise invalid(self.NEGATIVE)
        return self


class Tolerance(Band):
    """The amber band: how far from target a value may be and still be amber, not red."""

    FIELD: ClassVar[str] = "tolerance"
    NEGATIVE: ClassVar[str] = (
        "a tolerance cannot be negative; write how far below (or above) the target is "
        "still amber, as a positive number, e.g. tolerance: {percent: 5}"
    )

    percent: OptionalNumber = Field(
        None, description="Tolerance as a percentage of the target.", examples=[5]
    )
    absolute: OptionalNumber = Field(
        None, description="Tolerance in the indicator's own unit.", examples=[2]
    )


class AboveTarget(Band):
    """The band above target: a value better than the target by more than this is rated
    Exceeding (higher is better: above target + band; lower is better: below target - band)."""

    FIELD: ClassVar[str] = "above_target"
    NEGATIVE: ClassVar[str] = (
        "a band above target cannot be negative; write how far better than the target a "
        "value must be to be rated exceeding, as a positive number, e.g. "
        "above_target: {percent: 5}"
    )

    percent: OptionalNumber = Field(
        None,
        description="The band as a percentage of the target: a value better than the target "
        "by more than this is rated exceeding.",
        examples=[10],
    )
    absolute: OptionalNumber = Field(
        None,
        description="The band in the indicator's own unit: a value better than the target by "
        "more than this is rated exceeding.",
        examples=[5],
    )


DEFAULT_TOLERANCE = Tolerance(percent=DEFAULT_TOLERANCE_PERCENT)


# The characters RFC 3986 allows in a URL (with % escapes and any non-ASCII text). Anything else,
# such as a quote or "<", is a typing mistake, and would end the HTML attribute the URL is put in.
_URL_TEXT = r"A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%\u00a1-\U0010ffff"
_URL = re.compile(
    r"https?://[A-Za-z0-9.\-\u00a1-\U0010ffff]+(?::\d+)?(?:[/?#][" + _URL_TEXT + r"]*)?"
)


def web_url(value: str | None, example: str = "https://www.example.org/") -> str | None:
    """A web address that is safe to put in a link: http(s), a host, and URL characters only."""
    if value is None:
        return value
    if not _URL.fullmatch(value):
        bad = sorted({c for c in value if c in ' "<>\\^`{|}' or ord(c) < 32})
        why = f" (it contains {' '.join(repr(c) for c in bad)})" if bad else ""
        raise invalid(f'"{value}" is not a web address{why}; write one like {example}')
    return value


def _web_url(value: str | None) -> str | None:
    return web_url(value)


class Contact(Model):
    email: Text | None = Field(
        None, description="An email address for questions.", examples=["performance@example.org"]
    )
    phone: Text | None = Field(
        None, description="A telephone number, as it should be shown.", examples=["0300 123 2224"]
    )
    address: Words | None = Field(
        None,
        description="A postal address, one line.",
        examples=["County Hall, Taunton, TA1 4DY"],
    )
    url: Annotated[Text | None, AfterValidator(_web_url)] = Field(
        None,
        description="A contact page on the organisation's website.",
        examples=["https://www.example.gov.uk/contact-us"],
    )


# ---- site_config.yml -------------------------------------------------------------------------


class SiteInfo(Model):
    title: Title = Field(
        description="The site's name, shown in every page title.",
        examples=["Somerset County Council performance"],
    )
    organisation: Title = Field(
        description="The public body publishing the site.", examples=["Somerset County Council"]
    )
    url: Text | None = Field(
        None,
        description=(
            "The address the site is published at: canonical links, the sitemap, robots.txt "
            "and the feed's links. Without it a build writes no sitemap and warns (--strict "
            "fails)."
        ),
        examples=["https://performance.example.org/"],
    )
    language: Text = Field(
        DEFAULT_LANGUAGE,
        description=(
            "The site's language: the pages' lang attribute, and the language of the words "
            "perfpages writes (headings, ratings, sentences under charts, months, numbers). en "
            "(English) and cy (Welsh, Cymraeg) have a complete catalogue of those words; with any "
            "other code they are in English."
        ),
        examples=["en", "cy"],
    )
    languages: list[Text] | None = Field(
        None,
        description=(
            "The languages the site is published in, the first the default (instead of "
            "language): every page is published in each, the first at the site's address and "
            "each other under a folder named after it (/cy/), with a switcher on every page. "
            "Any text a reader sees may then be given per language ({en: ..., cy: ...}), and "
            "content pages as about.md and about.cy.md."
        ),
        examples=[["en", "cy"]],
    )
    description: Words | None = Field(
        None,
        description="One sentence about the site, shown to search engines.",
        examples=["How the council is doing against its Business Plan."],
    )
    contact: Contact | None = Field(
        None,
        description="How residents can reach the team.",
        examples=[{"email": "performance@example.org", "phone": "0300 123 2224"}],
    )

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        value = web_url(value, "https://performance.example.org/")
        if value is not None and not value.endswith("/"):
            value += "/"
        return value

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        return _language_code(value)

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        if not value:
            raise invalid("is an empty list; name the site's languages, e.g. [en, cy]")
        for code in value:
            _language_code(code)
        twice = sorted({code for code in value if value.count(code) > 1})
        if twice:
            raise invalid(f"names {', '.join(twice)} more than once; name each language once")
        return value

    @model_validator(mode="after")
    def _one_language_setting(self) -> SiteInfo:
        if self.languages is not None:
            if "language" in self.model_fields_set and self.language != self.languages[0]:
                raise invalid(
                    "gives both language and languages; keep languages (its first is the "
                    "default language) and remove language"
                )
            self.__dict__["language"] = self.languages[0]  # the model is frozen
        return self

    @property
    def all_languages(self) -> tuple[str, ...]:
        """The site's languages, the default first: (language,) on a site of one language."""
        return tuple(self.languages or (self.language,))


def _language_code(value: str) -> str:
    if not re.fullmatch(r"[a-z]{2,3}(?:-[A-Za-z0-9]+)*", value):
        raise invalid(f'"{value}" is not a language code; write e.g. en or cy')
    return value


class Priority(Model):
    id: Text = Field(
        description="Lower-case letters, digits and hyphens; used in URLs and indicator files.",
        examples=["infrastructure"],
    )
    title: Title = Field(
        description="The priority or outcome as published.",
        examples=["A county infrastructure that drives productivity"],
    )
    short_title: Words | None = Field(
        None,
        description=(
            "A short name for the priority, at most "
            f"{SHORT_TITLE_MAX} characters, where a long title would crowd a line: the list "
            "of all indicators, its filter and the charts on the home page. Without it, "
            "those show the title."
        ),
        examples=["Infrastructure"],
    )
    description: Markdown | None = Field(
        None,
        description="Markdown shown on the priority page.",
        examples=["- Enable economic and housing growth\n- Keep the roads safe\n"],
    )
    tolerance: Tolerance | None = Field(
        None,
        description="The amber band of this priority's measures, where it differs from the "
        "site's (ratings: tolerance); a service's or an indicator's own wins over it.",
        examples=[{"percent": 10}],
    )
    above_target: AboveTarget | None = Field(
        None,
        description="The band above target of this priority's measures, where it differs from "
        "the site's (ratings: above_target); a service's or an indicator's own wins over it.",
        examples=[{"percent": 5}],
    )

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        return check_id(value)

    @field_validator("short_title")
    @classmethod
    def _short_title(cls, value: str | None) -> str | None:
        if value is None:
            return None
        for text in getattr(value, "texts", {"": value}).values():
            _check_short_title(text)
        return value

    @property
    def label(self) -> str:
        """The short title where there is one, else the title."""
        return self.short_title or self.title


def _check_short_title(value: str) -> None:
    if not value.strip():
        raise invalid("is empty; write a short name, or remove short_title to use the title")
    if len(value) > SHORT_TITLE_MAX:
        raise invalid(
            f"is {len(value)} characters long; a short title is at most {SHORT_TITLE_MAX} "
            "characters (the full name goes in title:); shorten it, for example to its "
            "first words"
        )


def check_id(value: str) -> str:
    if too_long := long_name(value):
        raise invalid(f"the id {too_long}")
    if not ID_RE.fullmatch(value):
        fixed = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
        hint = f"; write {fixed}" if fixed else ""
        raise invalid(
            f'"{value}" is not a valid id: use lower-case letters, digits and single hyphens{hint}'
        )
    return value


class ServiceRatings(Model):
    """How the measures of one service are rated, where it differs from their priority's and
    the site's (ratings: services)."""

    tolerance: Tolerance | None = Field(
        None,
        description="The amber band of this service's measures; an indicator's own wins.",
        examples=[{"percent": 10}],
    )
    above_target: AboveTarget | None = Field(
        None,
        description="The band above target of this service's measures; an indicator's own wins.",
        examples=[{"absolute": 2}],
    )

    @model_validator(mode="after")
    def _something(self) -> ServiceRatings:
        if self.tolerance is None and self.above_target is None:
            raise invalid(
                "says nothing of this service's ratings; add tolerance: {percent: 10} or "
                "above_target: {percent: 5}, or remove the service"
            )
        return self


def _trend_periods(value: Any) -> Any:
    """A trend's number of periods: a whole number in range, or a message saying so."""
    if value is None:
        return value
    whole = isinstance(value, int) and not isinstance(value, bool)
    if not whole or not TREND_PERIODS_MIN <= value <= TREND_PERIODS_MAX:
        raise invalid(
            f"{_quote(value)} is not a number of periods to fit a trend over; write a whole "
            f"number from {TREND_PERIODS_MIN} to {TREND_PERIODS_MAX} (4 is a year of quarters)"
        )
    return value


TrendPeriods = Annotated[
    int, Field(ge=TREND_PERIODS_MIN, le=TREND_PERIODS_MAX), BeforeValidator(_trend_periods)
]


class Ratings(Model):
    tolerance: Tolerance = Field(
        default_factory=lambda: DEFAULT_TOLERANCE,
        description="The default amber band for every indicator.",
        examples=[{"percent": 5}],
    )
    above_target: AboveTarget | None = Field(
        None,
        description="A band above target for every indicator: a value better than its target "
        "by more than this is rated exceeding (a priority, service or indicator may set its "
        "own). Without it, no value is rated exceeding.",
        examples=[{"percent": 5}],
    )
    services: dict[Text, ServiceRatings] = Field(
        default_factory=dict,
        description="How the measures of a service are rated, where it differs from their "
        "priority's and the site's: the service's name exactly as indicators write service:, "
        "with its tolerance and above_target.",
        examples=[{"Public Health": {"tolerance": {"percent": 10}}}],
    )
    compare_with: CompareWith = Field(
        DEFAULT_COMPARE_WITH,
        description="What a value's direction of travel compares it with, unless an indicator "
        "says otherwise: previous (the period before), year_ago (the same period a year "
        "earlier) or trend (the line fitted through the last trend_periods values). This "
        "direction is the headline one, counted in the summaries.",
        examples=["previous"],
    )
    also_compare_with: list[CompareWith] = Field(
        default_factory=list,
        description="Other directions of travel shown beside the headline one, unless an "
        "indicator says otherwise: a list of previous, year_ago and trend, without the "
        "headline compare_with and each once (a cumulative measure shows year_ago only).",
        examples=[["year_ago"]],
    )
    trend_periods: TrendPeriods = Field(
        TREND_PERIODS,
        description="How many periods a trend is worked out over, unless an indicator says "
        f"otherwise: a whole number from {TREND_PERIODS_MIN} to {TREND_PERIODS_MAX}.",
        examples=[4],
    )
    stale_after_months: int = Field(
        STALE_AFTER_MONTHS,
        ge=1,
        le=1200,
        description="Warn when an indicator's latest value is older than this many months "
        "before the end of the reporting period.",
        examples=[12],
    )


def _iso_date(value: str | None) -> str | None:
    if value is None:
        return value
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise invalid(f'"{value}" is not a date; write it as YYYY-MM-DD, e.g. 2026-11-23') from None
    return value


class Accessibility(Model):
    """What the accessibility statement says; keep it true."""

    last_tested: Annotated[Text | None, AfterValidator(_iso_date)] = Field(
        None,
        description="When the site was last tested for accessibility (YYYY-MM-DD).",
        examples=["2026-11-23"],
    )
    statement_prepared: Annotated[Text | None, AfterValidator(_iso_date)] = Field(
        None,
        description="When the statement was first prepared (YYYY-MM-DD).",
        examples=["2026-11-23"],
    )
    contact_email: Text | None = Field(
        None,
        description="Where to report accessibility problems (defaults to the site contact).",
        examples=["accessibility@example.org"],
    )
    known_limitations: list[Markdown] = Field(
        default_factory=list,
        description="Parts of the site that are not fully accessible, and what to do instead.",
        examples=[
            ["Charts cannot be read by a screen reader; every chart has a table of its data."]
        ],
    )
    enforcement: Markdown | None = Field(
        None,
        description="Replaces the standard enforcement procedure paragraph (UK model).",
        examples=["The Equality Commission for Northern Ireland (ECNI) is responsible for ..."],
    )


class OpenData(Model):
    licence: Words = Field(
        "Open Government Licence v3.0",
        description="The licence of the published data.",
        examples=["Open Government Licence v3.0"],
    )
    licence_url: Annotated[Text, AfterValidator(_web_url)] = Field(
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        description="Where the licence text is published.",
        examples=["https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"],
    )
    attribution: Words | None = Field(
        None,
        description="The attribution statement users of the data must give "
        "(defaults to 'Contains public sector information licensed under ...').",
        examples=["Contains public sector information from Example Council."],
    )


class Reports(Model):
    years: int = Field(
        REPORT_YEARS,
        ge=0,
        le=100,
        description="How many years back the reports by reporting period go (each earlier "
        "period gets a report); 0 for the current period only. Every value stays on its "
        "indicator's page and in the open data whatever this says.",
        examples=[10],
    )
    printable: PrintedReports = Field(
        "narrated",
        description="Which reports get a printable version (every indicator's values, "
        "commentary and chart as they stood, on one page laid out for printing): narrated, the "
        "current period and each period with a narrative in content/reports/; or all, every "
        "period's report. Every report page prints as shown whatever this says.",
        examples=["narrated"],
    )
    printable_in_parts_above: int = Field(
        PRINT_WHOLE_AT_MOST,
        ge=0,
        description="A printable report of more indicators than this is made in parts, one "
        "for each priority, listed on its first page with the summary (a browser takes "
        "nearly two minutes to print a page of a thousand indicators); up to this many, it is "
        "one page.",
        examples=[PRINT_WHOLE_AT_MOST],
    )


class SiteConfig(Model):
    site: SiteInfo = Field(
        description="The site and the organisation publishing it.",
        examples=[{"title": "Example Council performance", "organisation": "Example Council"}],
    )
    reporting_period: PeriodField = Field(
        description="The site shows the position as at the end of this period.",
        examples=["2019/20 Q2"],
    )
    financial_year_start_month: int = Field(
        FINANCIAL_YEAR_START_MONTH,
        ge=1,
        le=12,
        description="The month the financial year starts (4 = April, as in the UK).",
        examples=[4],
    )
    priorities: list[Priority] = Field(
        min_length=1,
        description="The priorities or outcomes, in display order.",
        examples=[[{"id": "infrastructure", "title": "A county infrastructure that works"}]],
    )
    ratings: Ratings = Field(
        default_factory=Ratings,
        description="How values are rated.",
        examples=[{"tolerance": {"percent": 5}, "stale_after_months": 12}],
    )
    accessibility: Accessibility = Field(
        default_factory=Accessibility,
        description="What the accessibility statement says.",
        examples=[{"last_tested": "2026-11-23", "statement_prepared": "2026-11-23"}],
    )
    reports: Reports = Field(
        default_factory=Reports,
        description="The reports by reporting period, under /reports/.",
        examples=[{"years": 10}],
    )
    data: OpenData = Field(
        default_factory=OpenData,
        description="Open data licence.",
        examples=[{"licence": "Open Government Licence v3.0"}],
    )

    @field_validator("financial_year_start_month", mode="before")
    @classmethod
    def _month(cls, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 12:
            raise invalid(
                f"{_quote(value)} is not a month number; write a number from 1 to 12: "
                "4 for April, 7 for July"
            )
        return value


# ---- Indicators ------------------------------------------------------------------------------

RatingName = Literal["red", "amber", "green", "blue"]
# A value may also be stated as exceeding (better than target by more than the band above it).
ValueRatingName = Literal["red", "amber", "green", "exceeding", "blue"]
MissingReason = Literal["tbc", "not_available", "not_due", "suppressed"]
Polarity = Literal["higher_is_better", "lower_is_better", "neutral"]
Frequency = Literal["monthly", "quarterly", "annual", "other"]
DirectionName = Literal["improving", "steady", "declining", "up", "down"]
# What a value's direction of travel compares it with: the value of the period before, the
# value of the same period a year earlier (for measures that accumulate through the year, and
# councils' "long trend"), or the line fitted through the last trend_periods values.
CompareWith = Literal["previous", "year_ago", "trend"]
COMPARISONS: tuple[str, ...] = get_args(CompareWith)
# A measure's own choice may also be none: no direction of travel at all (a measure of demand
# or context, whose rise or fall is neither good nor bad news).
NO_COMPARISON: Final = "none"
MeasureCompareWith = Literal["previous", "year_ago", "trend", "none"]
# Which reports by period get a printable version (reports.printable).
PrintedReports = Literal["narrated", "all"]
Cumulative = Literal["financial_year", "calendar_year"]
UNITS = ("percent", "number", "currency", "rate", "days", "score", "ratio")


class TargetStep(Model):
    """One step of a target that changes over time (target: written as a list)."""

    from_: PeriodField = Field(
        alias="from",
        description="The first period this target applies to.",
        examples=["2019/20 Q1"],
    )
    value: OptionalNumber = Field(
        description="The target from that period on; null when there is no target from then.",
        examples=[53],
    )


class TargetLabel(Model):
    """A target that is words, not a number (target: {label: ...}): shown, not rated."""

    label: Title = Field(
        description="A target that cannot be compared with the values (shown, not rated).",
        examples=["10 per 100,000"],
    )


def _target_kind(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, list):
        return "steps"
    if isinstance(value, (dict, TargetLabel)):
        return "label"
    return "number"


TargetValue = Annotated[
    Annotated[Number, Tag("number")]
    | Annotated[list[TargetStep], Tag("steps")]
    | Annotated[TargetLabel, Tag("label")]
    | Annotated[None, Tag("none")],
    Discriminator(_target_kind),
]
"""Discriminated by the written shape, so an error names one form only, not all four."""


class Benchmark(Model):
    label: Title = Field(description="What the comparator is.", examples=["National average"])
    value: Number = Field(
        description="The comparator value, in the indicator's unit.", examples=[89.7]
    )
    period: PeriodField | None = Field(
        None, description="The period the comparator is for.", examples=["2018/19"]
    )
    source: Words | None = Field(
        None,
        description="Where the comparator comes from.",
        examples=["Public Health England Fingertips"],
    )


class DataPoint(Model):
    period: PeriodField = Field(
        description="The period this value is for.", examples=["2019/20 Q2"]
    )
    value: ValueNumber = Field(
        description="The value, as a plain number; null when there is none (then say why in "
        "`missing`).",
        examples=[85.1],
    )
    missing: MissingReason | None = Field(
        None,
        description="Why there is no value: tbc, not_available, not_due or suppressed.",
        examples=["tbc"],
    )
    note: Markdown | None = Field(
        None,
        description="A note about this value, shown in the table.",
        examples=["Maternity services notified births late this quarter."],
    )
    rating: ValueRatingName | None = Field(
        None,
        description="Overrides the computed rating for this period: red, amber, green, "
        "exceeding or blue.",
        examples=["amber"],
    )
    rating_reason: Words | None = Field(
        None,
        description="Why the rating is overridden; silences the mismatch warning.",
        examples=["As published in the Q4 2018/19 report"],
    )
    direction: DirectionName | None = Field(
        None,
        description="Overrides the computed direction of travel for this period: improving, "
        "steady or declining (up, steady or down when polarity is neutral).",
        examples=["declining"],
    )
    direction_reason: Words | None = Field(
        None,
        description="Why the direction is overridden; silences the mismatch warning.",
        examples=["As published: compared with the three-year average"],
    )
    series_break: Words | None = Field(
        None,
        description="This value is not comparable with the ones before it: say what changed. "
        "No direction is worked out across the break, and the chart leaves a gap.",
        examples=["Counted by a new method from April 2019"],
    )

    @model_validator(mode="before")
    @classmethod
    def _value_required(cls, data: Any) -> Any:
        if isinstance(data, dict) and "period" in data and "value" not in data:
            known = set(cls.model_fields)
            if "missing" in data or any(key not in known for key in data):
                # A misspelt "vaule:" is reported as an unknown field with a suggestion,
                # rather than as a missing value.
                return {**data, "value": None}
            raise invalid(
                "has no value; add value: followed by a number, or value: null with missing: tbc"
            )
        return data

    @model_validator(mode="after")
    def _missing(self) -> DataPoint:
        if self.value is None and self.missing is None:
            raise invalid(
                "value is null but no reason is given; add missing: tbc, not_available, "
                "not_due or suppressed"
            )
        if self.value is not None and self.missing is not None:
            raise invalid(
                f"has a value and missing: {self.missing}; remove missing, or set value: null"
            )
        if self.rating_reason is not None and self.rating is None:
            raise invalid(
                "rating_reason is given without a rating; add rating: or remove the reason"
            )
        if self.direction_reason is not None and self.direction is None:
            raise invalid(
                "direction_reason is given without a direction; add direction: or remove the reason"
            )
        if self.direction is not None and self.value is None:
            raise invalid(
                f"has direction: {self.direction} but no value; a direction needs a value to "
                "describe (remove direction)"
            )
        return self


class CommentaryEntry(Model):
    period: PeriodField = Field(
        description="The reporting period this commentary was written for.",
        examples=["2019/20 Q1"],
    )
    commentary: Markdown | None = Field(
        None,
        description="What was said then.",
        examples=["Performance fell because fewer staff were available."],
    )
    actions: Markdown | None = Field(
        None,
        description="What was to be done then.",
        examples=["Two posts are being recruited to."],
    )


class IndicatorBase(Model):
    title: Title = Field(
        description="The indicator's name as residents should read it.",
        examples=["Health visitor new birth visits within 14 days"],
    )
    ref: Text | None = Field(
        None,
        description="The organisation's own reference code, shown with the title.",
        examples=["PH-01"],
    )
    description: Markdown | None = Field(
        None,
        description="What is measured, in plain words.",
        examples=["Proportion of all infants receiving a new born visit within 14 days"],
    )
    priority: Text = Field(
        description="The id of a priority in site_config.yml.", examples=["fairer-life-chances"]
    )
    service: Text | None = Field(
        None, description="The directorate or service area.", examples=["Public Health"]
    )
    tags: list[Text] = Field(
        default_factory=list,
        description="Indicator sets, frameworks, anything to filter by.",
        examples=[["LAA", "statutory"]],
    )
    source: Words | None = Field(
        None,
        description="Where the data comes from.",
        examples=["Health visiting service records"],
    )
    owner: Words | None = Field(
        None, description="Who is accountable for it.", examples=["Director of Public Health"]
    )


class Measure(IndicatorBase):
    """A measure: values over time against a target."""

    kind: Literal["measure"] = Field(
        "measure", description="measure (default) or project.", examples=["measure"]
    )
    unit: Text = Field(
        "number",
        description="percent, number, currency, rate, days, score or ratio; any other word is "
        "shown after the value as a label.",
        examples=["percent"],
    )
    unit_label: Words | None = Field(
        None, description="Words shown after values.", examples=["per 100,000 population"]
    )
    currency: Text = Field(
        "GBP", description="ISO currency code, with unit: currency.", examples=["GBP"]
    )
    scale: Literal["thousand", "million", "billion"] | None = Field(
        None,
        description="With unit: currency, the scale of the values (£1.2m).",
        examples=["million"],
    )
    decimals: int | None = Field(
        None,
        ge=0,
        le=6,
        description="Decimal places shown; by default, as many as the values are written with.",
        examples=[1],
    )
    polarity: Polarity = Field(
        description="higher_is_better, lower_is_better or neutral (data only, not rated).",
        examples=["higher_is_better"],
    )
    frequency: Frequency | None = Field(
        None,
        description="monthly, quarterly, annual or other; by default, from the periods.",
        examples=["quarterly"],
    )
    target: TargetValue = Field(
        None,
        description="A number; or a list of {from: PERIOD, value: N} when it changes; or "
        '{label: "..."} when it cannot be compared with the values.',
        examples=[90, [{"from": "2019/20 Q1", "value": 53}]],
    )
    tolerance: Tolerance | None = Field(
        None,
        description="Overrides the amber band of the measure's service, priority and site.",
        examples=[{"absolute": 2}],
    )
    above_target: AboveTarget | None = Field(
        None,
        description="Overrides the band above target of the measure's service, priority and "
        "site: a value better than the target by more than this is rated exceeding.",
        examples=[{"percent": 5}],
    )
    benchmarks: list[Benchmark] = Field(
        default_factory=list,
        description="Comparators, drawn as reference lines.",
        examples=[[{"label": "National average", "value": 89.7, "period": "2018/19"}]],
    )
    values: list[DataPoint] = Field(
        description="The values, in any order; shown in time order.",
        examples=[[{"period": "2019/20 Q1", "value": 85.1}]],
    )
    commentary: Markdown | None = Field(
        None,
        description="The latest narrative, in Markdown.",
        examples=["Performance fell because maternity services notified births late."],
    )
    actions: Markdown | None = Field(
        None,
        description="What is being done, in Markdown.",
        examples=["The notification problem has been fixed; expect recovery by Q3."],
    )
    earlier_commentary: list[CommentaryEntry] = Field(
        default_factory=list,
        description="Commentary from earlier reporting periods.",
        examples=[[{"period": "2019/20 Q1", "commentary": "Performance was on target."}]],
    )
    status: Literal["active", "discontinued"] = Field(
        "active",
        description="active, or discontinued (rated blue, kept in history).",
        examples=["active"],
    )
    cumulative: Cumulative | None = Field(
        None,
        description="The values add up through the year and start again each year: "
        "financial_year or calendar_year. Each value is then compared with the same period "
        "a year earlier, and the chart draws each year's line apart.",
        examples=["financial_year"],
    )
    compare_with: MeasureCompareWith | None = Field(
        None,
        description="What each value's direction of travel compares it with: previous (the "
        "period before), year_ago (the same period a year earlier) or trend (the line fitted "
        "through the last trend_periods values); by default the site's ratings.compare_with, "
        "or year_ago when the measure is cumulative. This direction is the headline one. none: "
        "no direction of travel at all (a measure of demand or context).",
        examples=["year_ago"],
    )
    also_compare_with: list[CompareWith] | None = Field(
        None,
        description="Other directions of travel shown beside the headline one: a list of "
        "previous, year_ago and trend, without compare_with and each once; by default the "
        "site's ratings.also_compare_with (less this measure's headline); [] for none.",
        examples=[["year_ago"]],
    )
    trend_periods: TrendPeriods | None = Field(
        None,
        description="How many periods a trend is worked out over: a whole number from "
        f"{TREND_PERIODS_MIN} to {TREND_PERIODS_MAX}; by default the site's "
        "ratings.trend_periods.",
        examples=[8],
    )

    @field_validator("unit")
    @classmethod
    def _unit(cls, value: str) -> str:
        if value in UNITS:
            return value
        close = difflib.get_close_matches(value.lower(), UNITS, n=1, cutoff=0.75)
        if close:
            raise invalid(
                f'"{value}" is not a unit; did you mean {close[0]}? '
                f"(units: {', '.join(UNITS)}, or any word as a label)"
            )
        return value

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Z]{3}", value):
            raise invalid(f'"{value}" is not a currency code; write e.g. GBP or EUR')
        return value

    @field_validator("target", mode="before")
    @classmethod
    def _target(cls, value: Any) -> Any:
        if isinstance(value, (str, float)) and not isinstance(value, bool):
            return _to_number(value, "target")
        if isinstance(value, bool):
            raise invalid(f"{_quote(value)} is not a target; write a number")
        if isinstance(value, dict) and "from" in value and "label" not in value:
            raise invalid(
                "a changing target is a list; write target: followed by lines "
                "'- {from: 2019/20 Q1, value: 53}'"
            )
        return value


class Milestone(Model):
    title: Title = Field(description="What will be done.", examples=["Launch new procurement"])
    due: PeriodField | None = Field(
        None, description="When it is due: a month, quarter or date.", examples=["2019-11"]
    )
    status: Literal["done", "on_track", "at_risk", "missed"] = Field(
        description="done, on_track, at_risk or missed.", examples=["on_track"]
    )
    note: Markdown | None = Field(
        None, description="A short note on progress.", examples=["Tender documents published."]
    )


class ProjectUpdate(Model):
    period: PeriodField = Field(
        description="The reporting period of this update.", examples=["2019/20 Q2"]
    )
    rating: RatingName = Field(
        description="red, amber, green, or blue when closed.", examples=["green"]
    )
    progress: Literal["achieved_milestone", "progressing", "missed_milestone"] = Field(
        description="achieved_milestone, progressing or missed_milestone.",
        examples=["progressing"],
    )
    commentary: Markdown | None = Field(
        None,
        description="The update, in Markdown.",
        examples=["Contracts were signed in August; work starts in October."],
    )
    rating_reason: Words | None = Field(
        None,
        description="Why this rating was given.",
        examples=["A milestone slipped by one month"],
    )


class Project(IndicatorBase):
    """A project or programme: rated updates each period, with milestones."""

    kind: Literal["project"] = Field(
        description="project (required for a project).", examples=["project"]
    )
    updates: list[ProjectUpdate] = Field(
        min_length=1,
        description="One entry per reporting period.",
        examples=[[{"period": "2019/20 Q2", "rating": "green", "progress": "progressing"}]],
    )
    milestones: list[Milestone] = Field(
        default_factory=list,
        description="What will be done by when, and how it is going.",
        examples=[[{"title": "Launch new procurement", "due": "2019-11", "status": "on_track"}]],
    )
    next_steps: list[Markdown] = Field(
        default_factory=list,
        description="What happens next, one item per step.",
        examples=[["Award of contracts before December 2020"]],
    )
    status: Literal["active", "closed"] = Field(
        "active", description="active or closed (rated blue).", examples=["active"]
    )


Indicator = Measure | Project
