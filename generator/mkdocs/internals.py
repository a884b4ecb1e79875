"""The one module that touches MkDocs' private or unstable API, and the check that it still fits.

MkDocs' only public way to build is ``mkdocs.commands.build.build()``, one function that reads,
converts and renders every page. perfpages needs its steps one at a time: build.py shares the
pages out between processes, preview.py rebuilds only the pages an edit changed. So this module
runs those steps as MkDocs' ``build()`` runs them: the set-up up to the navigation, MkDocs'
private per-page functions (``_populate_page``, ``_build_page``, ``_build_theme_template``) and
what ``build()`` does around them. messages.py and perfpages' progress bar also read MkDocs' log
lines, whose wording is no API either: the patterns are here too, each with the line it matches.

None of this is promised between MkDocs versions (perfpages pins MkDocs in pyproject.toml).
``EXPECTED`` says what perfpages relies on, and ``check_mkdocs()`` compares it with the installed
MkDocs, so a new MkDocs fails tests/mkdocs/test_internals.py with a message saying what changed,
rather than a traceback in the middle of a build or warnings that are no longer explained. The
shared-out build falls back to MkDocs' own build, and the preview stops with that message, when
MkDocs' functions are not what this module calls.

MkDocs' functions are looked up when called, not imported once, so that tests can replace them.
"""

from __future__ import annotations

import ast
import collections
import contextlib
import functools
import importlib
import inspect
import logging
import os
import re
import textwrap
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from generator.render.pages import CompiledTemplates

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.nav import Navigation

# The MkDocs version EXPECTED describes (the one pinned in pyproject.toml).
WRITTEN_FOR = "1.6.1"

# The logger MkDocs' build() logs on; the steps below log on it too, as it does.
BUILD_LOGGER = "mkdocs.commands.build"
log = logging.getLogger(BUILD_LOGGER)

# The theme's templates, compiled once per process (perfpages serve builds many times; the
# hook in raw_html.py gives it to the environment of MkDocs' own build).
THEME_COMPILED = CompiledTemplates()

# The patterns MkDocs' ``Files.add_files_from_theme`` leaves hidden files out by: a file
# whose path has a part starting with "." (its source is checked for them, below).
HIDDEN_PATTERNS = (".*", "*/.*")
_ADD_THEME_FILES = "mkdocs.structure.files:Files.add_files_from_theme"


class _ThemeLoader(jinja2.FileSystemLoader):
    """MkDocs' loader of the theme's templates, listing no file in a hidden folder.

    MkDocs lists every file of the theme's folders through this loader on each build, only to
    drop the hidden ones (``HIDDEN_PATTERNS``) and copy the rest as assets; nothing else lists
    them. Material's hidden ``.icons`` folder holds some 14,000 files: listing and dropping them
    took 0.14 s of every build, 40% of building a small site and of each ``perfpages serve``
    rebuild. Skipping hidden folders while walking gives MkDocs the same files in 3 ms."""

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for folder in self.searchpath:
            for top, dirs, names in os.walk(folder, followlinks=self.followlinks):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                relative = os.path.relpath(top, folder).replace(os.path.sep, "/")
                found.update(name if relative == "." else f"{relative}/{name}" for name in names)
        return sorted(found)


def cache_theme(config: MkDocsConfig) -> None:
    """Have the theme's environment, whenever MkDocs makes one for this build, list the theme's
    files without its hidden folders and compile its templates once per process (a hook's
    ``on_config``)."""
    theme = config.theme
    make = type(theme).get_env

    def get_env() -> Environment:
        env = make(theme)
        loader = env.loader
        assert isinstance(loader, jinja2.FileSystemLoader)
        if _check_hidden(HIDDEN_PATTERNS) is None:  # else Jinja's loader lists them all
            env.loader = _ThemeLoader(loader.searchpath, loader.encoding, loader.followlinks)
        env.bytecode_cache = THEME_COMPILED
        return env

    theme.get_env = get_env  # type: ignore[method-assign]


# The search plugins whose index ``search_index`` knows how to read.
SEARCH_PLUGINS = ("material/search", "search")


# ---- MkDocs' build, a step at a time -----------------------------------------------------------


@dataclass
class Build:
    """One MkDocs build as MkDocs' ``build()`` has it once the navigation is made (which gives
    every documentation file its page), before any page is read; and the per-page steps."""

    config: MkDocsConfig
    files: Files
    env: Environment  # the theme's, before plugins' ``on_env``
    nav: Navigation
    doc_files: Sequence[File]

    def read(self, file: File) -> None:
        """Read and convert a page, logging it as MkDocs' ``build()`` does (``READING``: the
        progress bar counts these lines)."""
        log.debug(f"Reading: {file.src_uri}")
        self.populate(file)

    def populate(self, file: File) -> None:
        """Read a page's Markdown and convert it, with the plugins' page events."""
        from mkdocs.commands import build

        assert file.page is not None
        build._populate_page(file.page, self.config, self.files)

    def write_page(self, file: File, env: Environment) -> None:
        """Render a converted page through the theme's ``env`` and write it."""
        from mkdocs.commands import build

        assert file.page is not None
        build._build_page(file.page, self.config, self.doc_files, self.nav, env)

    def write_theme_templates(self, env: Environment) -> None:
        """The theme's pages that are not made from Markdown (sitemap.xml, 404.html)."""
        from mkdocs.commands import build

        for template in self.config.theme.static_templates:
            build._build_theme_template(template, env, self.files, self.config, self.nav)


def start_build(config: MkDocsConfig, *, clean: bool = True, serve: bool = False) -> Build:
    """The start of MkDocs' ``build()``: the plugins' ``on_config`` and ``on_pre_build``, an
    empty output folder (when ``clean``), every file, the theme, the navigation. With ``serve``
    (the preview of ``perfpages serve``) draft pages are included and nothing is logged."""
    from mkdocs import utils
    from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
    from mkdocs.structure.nav import get_navigation

    config = config.plugins.on_config(config)
    config.plugins.on_pre_build(config=config)
    if clean:
        if not serve:
            log.info("Cleaning site directory")
        utils.clean_directory(config.site_dir)
    if not serve:
        log.info(f"Building documentation to directory: {config.site_dir}")
    files = get_files(config)
    env = config.theme.get_env()  # as cache_theme has it, through the hook's on_config
    files.add_files_from_theme(env, config)
    files = config.plugins.on_files(files, config=config)
    set_exclusions(files, config)  # files plugins added
    nav = get_navigation(files, config)
    nav = config.plugins.on_nav(nav, config=config, files=files)
    inclusion = InclusionLevel.is_in_serve if serve else InclusionLevel.is_included
    return Build(config, files, env, nav, files.documentation_pages(inclusion=inclusion))


@contextlib.contextmanager
def around_build(config: MkDocsConfig) -> Iterator[None]:
    """What MkDocs' ``build()`` does around its steps: with ``strict``, warnings are counted and
    stop the build afterwards; plugins hear of an error; a ``BuildError`` becomes an ``Abort``;
    the time taken is logged."""
    from mkdocs import utils
    from mkdocs.exceptions import Abort, BuildError

    logger = logging.getLogger("mkdocs")
    warning_counter = utils.CountHandler()
    warning_counter.setLevel(logging.WARNING)
    if config.strict:
        logger.addHandler(warning_counter)
    try:
        start = time.monotonic()
        yield
        if counts := warning_counter.get_counts():
            msg = ", ".join(f"{v} {k.lower()}s" for k, v in counts)
            raise Abort(f"Aborted with {msg} in strict mode!")
        log.info(f"Documentation built in {time.monotonic() - start:.2f} seconds")
    except Exception as e:
        config.plugins.on_build_error(error=e)
        if isinstance(e, BuildError):
            log.error(str(e))
            raise Abort("Aborted with a BuildError!") from None
        raise
    finally:
        logger.removeHandler(warning_counter)


def search_index(config: MkDocsConfig) -> Any | None:
    """The search plugin's index, whose ``entries`` each page built adds to (Material's search
    plugin; set up by its ``on_config``); None without one, or when it keeps them otherwise."""
    for name, plugin in config.plugins.items():
        if name in SEARCH_PLUGINS:
            index = getattr(plugin, "search_index", None)
            if index is not None and isinstance(getattr(index, "entries", None), list):
                return index
    return None


@contextlib.contextmanager
def atomic_writes() -> Iterator[None]:
    """While it lasts, every file MkDocs writes or copies (pages, the theme's pages, the
    search index, static files) is written whole beside its place and renamed over it: a page
    rebuild that fails part-way (a full disk, Ctrl-C) leaves each file as it was or as it is
    now, never cut short. For the preview's page rebuilds, which write into the folder being
    served; one at a time (MkDocs' ``utils`` functions are the process's)."""
    from mkdocs import utils

    from generator.output.files import write_whole

    def write_file(content: bytes, output_path: str) -> None:
        os.makedirs(os.path.dirname(output_path), exist_ok=True)
        write_whole(Path(output_path), content)

    def copy_file(source_path: str, output_path: str) -> None:
        if os.path.isdir(output_path):
            output_path = os.path.join(output_path, os.path.basename(source_path))
        os.makedirs(os.path.dirname(output_path), exist_ok=True)
        write_whole(Path(output_path), Path(source_path).read_bytes())

    saved = utils.write_file, utils.copy_file
    utils.write_file, utils.copy_file = write_file, copy_file
    try:
        yield
    finally:
        utils.write_file, utils.copy_file = saved


# ---- MkDocs' log lines that perfpages reads ------------------------------------------------------


@dataclass(frozen=True)
class Wording:
    """A MkDocs log line perfpages reads, as MkDocs writes it."""

    pattern: re.Pattern[str]
    example: str  # a whole line, as MkDocs logs it
    source: str  # the MkDocs function that writes it, "module:qualified.name"
    fragments: tuple[str, ...]  # its fixed text, as written in that function
    # The wording this one follows on the same line (``pattern`` matches its ``what``).
    head: Wording | None = None

    def match(self, text: str) -> re.Match[str] | None:
        return self.pattern.match(text)

    def match_line(self, line: str) -> re.Match[str] | None:
        """Match a whole log line, its head first."""
        if self.head is None:
            return self.match(line)
        head = self.head.match_line(line)
        return self.match(head["what"]) if head else None


_BUILD = "mkdocs.commands.build:build"
_LINKS = "mkdocs.structure.pages:_RelativePathTreeprocessor.path_to_url"
_ANCHORS = "mkdocs.structure.pages:Page.validate_anchor_links"

# Logged (debug) before each page is read; perfpages' progress bar counts them.
READING = Wording(re.compile(r"Reading: (?P<page>.*)"), "Reading: about.md", _BUILD, ("Reading: ",))

# Every warning about a link in a page starts so; the kinds below match what follows.
LINK = Wording(
    re.compile(r"^Doc file '(?P<doc>[^']+)' contains (?P<what>.*)$", re.DOTALL),
    "Doc file 'about.md' contains a link 'missing.md', but the target is not found among "
    "documentation files.",
    _LINKS,
    ("Doc file '", "' contains "),
)
NOT_FOUND = Wording(
    re.compile(
        r"^a link '(?P<link>[^']*)', but the target(?: '(?P<target>[^']*)')? is not found among "
        r"documentation files\.(?: Did you mean '(?P<suggest>[^']*)'\?)?$"
    ),
    "Doc file 'about.md' contains a link 'sub/../missing.md', but the target 'missing.md' is not "
    "found among documentation files.",
    _LINKS,
    ("' contains a link '", "but the target", " is not found among documentation files."),
    LINK,
)
NO_ANCHOR_HERE = Wording(
    re.compile(r"^a link '(?P<link>[^']*)', but there is no such anchor on this page\."),
    "Doc file 'about.md' contains a link '#nowhere', but there is no such anchor on this page.",
    _ANCHORS,
    ("' contains a link '", "', but ", "there is no such anchor on this page"),
    LINK,
)
NO_ANCHOR = Wording(
    re.compile(
        r"^a link '(?P<link>[^']*)', but the doc '(?P<doc>[^']*)' does not contain an anchor "
        r"'(?P<anchor>[^']*)'\."
    ),
    "Doc file 'about.md' contains a link 'index.md#nowhere', but the doc 'index.md' does not "
    "contain an anchor '#nowhere'.",
    _ANCHORS,
    ("' contains a link '", "', but ", "the doc '", "' does not contain an anchor '#"),
    LINK,
)
UNRECOGNISED = Wording(
    re.compile(
        r"^an unrecognized relative link '(?P<link>[^']*)', it was left as is\."
        r"(?: Did you mean '(?P<suggest>[^']*)'\?)?$"
    ),
    "Doc file 'about.md' contains an unrecognized relative link 'index', it was left as is. Did "
    "you mean 'index.md'?",
    _LINKS,
    ("' contains an unrecognized relative link '", "it was left as is.", " Did you mean '"),
    LINK,
)
ABSOLUTE = Wording(
    re.compile(r"^an absolute link '(?P<link>[^']*)', it was left as is\."),
    "Doc file 'about.md' contains an absolute link '/index.md', it was left as is. Did you mean "
    "'index.md'?",
    _LINKS,
    ("' contains an absolute link '", "', it was left as is."),
    LINK,
)

WORDING = {
    "READING": READING,
    "LINK": LINK,
    "NOT_FOUND": NOT_FOUND,
    "NO_ANCHOR_HERE": NO_ANCHOR_HERE,
    "NO_ANCHOR": NO_ANCHOR,
    "UNRECOGNISED": UNRECOGNISED,
    "ABSOLUTE": ABSOLUTE,
}


# ---- what perfpages expects of MkDocs, and the check -------------------------------------------


@dataclass(frozen=True)
class Signature:
    """A MkDocs function this module calls, and its parameters' names."""

    function: str  # "module:qualified.name"
    parameters: tuple[str, ...]


SIGNATURES = (
    Signature("mkdocs.commands.build:_populate_page", ("page", "config", "files", "dirty")),
    Signature(
        "mkdocs.commands.build:_build_page",
        ("page", "config", "doc_files", "nav", "env", "dirty", "excluded"),
    ),
    Signature(
        "mkdocs.commands.build:_build_theme_template",
        ("template_name", "env", "files", "config", "nav"),
    ),
    Signature("mkdocs.structure.files:get_files", ("config",)),
    Signature("mkdocs.utils:write_file", ("content", "output_path")),
    Signature("mkdocs.utils:copy_file", ("source_path", "output_path")),
    Signature("mkdocs.structure.files:set_exclusions", ("files", "config")),
    Signature("mkdocs.structure.nav:get_navigation", ("files", "config")),
)

# The steps of MkDocs' build() that ``start_build``, ``Build``, ``around_build`` and the builds
# in build.py and preview.py follow: the calls it makes on the configuration (and plugins),
# files, pages and MkDocs' utilities, and to functions and classes of MkDocs, in order.
BUILD_STEPS = (
    "utils.CountHandler",
    "config.plugins.on_config",
    "config.plugins.on_pre_build",
    "utils.clean_directory",
    "site_directory_contains_stale_files",
    "get_files",
    "config.theme.get_env",
    "files.add_files_from_theme",
    "config.plugins.on_files",
    "set_exclusions",
    "get_navigation",
    "config.plugins.on_nav",
    "files.documentation_pages",
    "file.inclusion.is_not_in_nav",
    "file.inclusion.is_excluded",
    "Page",
    "_populate_page",
    "config.plugins.on_env",
    "files.copy_static_files",
    "_build_theme_template",
    "_build_extra_template",
    "files.documentation_pages",
    "_build_page",
    "file.inclusion.is_excluded",
    "file.page.validate_anchor_links",
    "config.plugins.on_post_build",
    "Abort",
    "config.plugins.on_build_error",
    "Abort",
)


# Private attributes perfpages uses, and the class that sets them (in its __init__).
_SERVER = "mkdocs.livereload:LiveReloadServer"
ATTRIBUTES = ((_SERVER, ("_rebuild_cond", "_want_rebuild")),)


@dataclass(frozen=True)
class Expected:
    """Everything perfpages relies on that MkDocs does not promise."""

    signatures: tuple[Signature, ...] = SIGNATURES
    build_steps: tuple[str, ...] = BUILD_STEPS
    wording: tuple[tuple[str, Wording], ...] = tuple(WORDING.items())
    attributes: tuple[tuple[str, tuple[str, ...]], ...] = ATTRIBUTES
    hidden_patterns: tuple[str, ...] = HIDDEN_PATTERNS


EXPECTED = Expected()

_UPDATE = "update generator/mkdocs/internals.py"


def check_mkdocs(wording: bool = True) -> list[str]:
    """How the installed MkDocs differs from ``EXPECTED``, a message for each difference (none
    when it is the MkDocs this module was written for); without ``wording``, only what the
    builds call (a changed wording only leaves warnings unexplained)."""
    problems = [p for s in EXPECTED.signatures if (p := _check_signature(s))]
    if steps := _check_steps(EXPECTED.build_steps):
        problems.append(steps)
    problems += [p for cls, names in EXPECTED.attributes if (p := _check_attributes(cls, names))]
    if hidden := _check_hidden(EXPECTED.hidden_patterns):
        problems.append(hidden)
    if wording:
        problems += [p for name, w in EXPECTED.wording for p in _check_wording(name, w)]
    return problems


def fits() -> bool:
    """Whether the installed MkDocs has the functions and build steps this module calls."""
    return not check_mkdocs(wording=False)


def require(purpose: str) -> None:
    """Stop with MkDocs' ``Abort`` (shown without a traceback) and the differences, unless the
    installed MkDocs fits."""
    from mkdocs.exceptions import Abort

    if problems := check_mkdocs(wording=False):
        raise Abort(
            f"{purpose} needs MkDocs {WRITTEN_FOR} (pip install mkdocs=={WRITTEN_FOR}); "
            f"MkDocs {_version()} is installed:\n- " + "\n- ".join(problems)
        )


def _version() -> str:
    import mkdocs

    return str(mkdocs.__version__)


def _resolve(where: str) -> Callable[..., Any] | None:
    """The function ``module:qualified.name``, None when MkDocs has no such thing."""
    module_name, _, qualname = where.partition(":")
    found: Any = importlib.import_module(module_name)
    for part in qualname.split("."):
        found = getattr(found, part, None)
    return found if callable(found) else None


def _dotted(where: str) -> str:
    return where.replace(":", ".")


def _check_signature(expected: Signature) -> str | None:
    function = _resolve(expected.function)
    wanted = f"perfpages expects {_dotted(expected.function)}({', '.join(expected.parameters)})"
    if function is None:
        return f"{wanted} but MkDocs {_version()} has no such function: {_UPDATE}"
    try:
        found = tuple(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        found = ("?",)
    if found == expected.parameters:
        return None
    return f"{wanted} but MkDocs {_version()} has ({', '.join(found)}): {_UPDATE}"


@functools.lru_cache(maxsize=16)
def _source(function: Callable[..., Any]) -> str:
    """The source of a function (cached: the preview checks MkDocs before every build)."""
    try:
        return inspect.getsource(function)
    except (OSError, TypeError):
        return ""


def build_steps(function: Callable[..., Any]) -> tuple[str, ...]:
    """The calls ``function`` (MkDocs' build()) makes that ``BUILD_STEPS`` lists, in order.

    Not cached: which names are MkDocs' own is looked up each time (about a millisecond), so
    the answer follows the MkDocs loaded now, not the one seen first."""
    module = inspect.getmodule(function)
    tree = ast.parse(textwrap.dedent(_source(function)))
    calls = sorted(
        (node.lineno, node.col_offset, ast.unparse(node.func))
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
    )
    out = []
    for *_, name in calls:
        if name.split(".")[0] in ("config", "files", "file", "utils"):
            out.append(name)
        elif name.isidentifier():
            owner = getattr(getattr(module, name, None), "__module__", None) or ""
            if owner.startswith("mkdocs."):
                out.append(name)
    return tuple(out)


def _check_steps(expected: tuple[str, ...]) -> str | None:
    function = _resolve(_BUILD)
    follows = f"perfpages follows the steps of {_dotted(_BUILD)}() in MkDocs {WRITTEN_FOR}, but"
    if function is None:
        return f"{follows} MkDocs {_version()} has no such function: {_UPDATE}"
    if not _source(function):
        return f"{follows} the source of MkDocs {_version()} cannot be read to check them"
    found = build_steps(function)
    if found == expected:
        return None
    added = list(collections.Counter(found) - collections.Counter(expected))
    gone = list(collections.Counter(expected) - collections.Counter(found))
    changes = [f"it now calls {', '.join(added)}"] if added else []
    changes += [f"it no longer calls {', '.join(gone)}"] if gone else []
    return (
        f"{follows} MkDocs {_version()} changed them "
        f"({'; '.join(changes) or 'the same calls, in another order'}): "
        "make generator/mkdocs/internals.py follow them, then update BUILD_STEPS"
    )


def theme_file_patterns() -> tuple[str, ...]:
    """The string constants in MkDocs' ``Files.add_files_from_theme`` (the patterns of the
    files it leaves out among them), none when its source cannot be read."""
    function = _resolve(_ADD_THEME_FILES)
    source = _source(function) if function is not None else ""
    if not source:
        return ()
    tree = ast.parse(textwrap.dedent(source))
    return tuple(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


def _check_hidden(expected: tuple[str, ...]) -> str | None:
    """Whether MkDocs still leaves hidden files out of the theme's files (the theme's loader
    does not list them)."""
    found = theme_file_patterns()
    if all(pattern in found for pattern in expected):
        return None
    return (
        f"perfpages lists no hidden file of the theme, as {_dotted(_ADD_THEME_FILES)}() in MkDocs "
        f"{WRITTEN_FOR} leaves them out ({', '.join(expected)}), but MkDocs {_version()} does not: "
        "make _ThemeLoader in generator/mkdocs/internals.py list them, then update "
        "HIDDEN_PATTERNS"
    )


def _check_attributes(where: str, names: tuple[str, ...]) -> str | None:
    """Whether the class still sets the private attributes perfpages uses, in its __init__."""
    cls = _resolve(where)
    init = getattr(cls, "__init__", None)
    source = _source(init) if init is not None else ""
    missing = [n for n in names if f"self.{n}" not in source]
    if cls is not None and not missing:
        return None
    has = "has no such class" if cls is None else f"no longer sets {', '.join(missing)}"
    return (
        f"perfpages uses {', '.join(names)} of {_dotted(where)}, but MkDocs {_version()} "
        f"{has}: {_UPDATE}"
    )


def live_reload_server(
    builder: Callable[[], None], host: str, port: int, root: str
) -> LiveReloadServer:
    """MkDocs' live-reload server, which perfpages' generator can also ask to rebuild
    (``request_rebuild``: what the server does itself when a file it watches changes, done
    with its private condition; ``ATTRIBUTES`` names it for ``check_mkdocs``)."""
    from mkdocs.livereload import LiveReloadServer

    class PreviewServer(LiveReloadServer):
        def _serve_request(self, environ: Any, start_response: Any) -> Any:
            # A NUL in the path (/%00) makes MkDocs' open() raise, and the reader sees a 500
            # with a traceback in the log: no file has such a name, so it is not found.
            if "\x00" in environ.get("PATH_INFO", ""):
                return None
            return super()._serve_request(environ, start_response)

        def request_rebuild(self) -> None:
            with self._rebuild_cond:
                self._want_rebuild = True
                self._rebuild_cond.notify_all()

    return PreviewServer(builder=builder, host=host, port=port, root=root)


def _check_wording(name: str, wording: Wording) -> list[str]:
    """Whether ``wording`` still matches its example, and MkDocs still writes its text."""
    problems = []
    if wording.match_line(wording.example) is None:
        problems.append(f"the pattern {name} does not match its own example: {_UPDATE}")
    function = _resolve(wording.source)
    source = _source(function) if function is not None else ""
    expects = (
        f'perfpages expects MkDocs to log "{wording.example}" ({name}, written by '
        f"{_dotted(wording.source)}), but MkDocs {_version()}"
    )
    if function is None:
        return [*problems, f"{expects} has no such function: {_UPDATE}"]
    if not source:
        return [*problems, f"{expects}'s source cannot be read to check it"]
    for fragment in wording.fragments:
        if fragment not in source:
            problems.append(f'{expects} does not write "{fragment}" there: {_UPDATE}')
    return problems
