"""The Jinja2 environment: templates from the vault's templates folder, else the shipped ones."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from netzwerk.config import Config
from netzwerk.problems import Refused
from netzwerk.text import times

if TYPE_CHECKING:
    import jinja2

# Characters Obsidian does not allow in a file name it links to.
_UNLINKABLE = re.compile(r"[\[\]|#^]")
# Inline Markdown (CommonMark and Obsidian's own: ==highlight==, %%comment%%, $math$, ^block).
_INLINE = re.compile(r"([\\`*_\[\]<>#|~$=^%&])")
_BLOCK_START = re.compile(r"^([-+]|\d+[.)])(?=\s|$)")
_NEWLINES = re.compile(r"\s*[\r\n\u2028\u2029\x85\x0b\x0c]+\s*")


class RenderError(Refused):
    """A template that cannot be loaded or rendered; the message is one line."""


# Any character `md` may change besides whitespace at the ends: most text has none of them.
_SPECIAL = re.compile(r"[\\`*_\[\]<>#|~$=^%&\r\n\u2028\u2029\x85\x0b\x0c]")


def md(value: object) -> str:
    """Escape text for one line of Markdown: a task line or a table cell stays intact."""
    text = str(value)
    if _SPECIAL.search(text) is None:
        return _block(text.strip())
    text = _NEWLINES.sub(" ", text).strip()
    return _block(_inline(text))


def _inline(text: str) -> str:
    return _INLINE.sub(r"\\\1", text) if _SPECIAL.search(text) else text


def _block(text: str) -> str:
    """`1. text` or `- text` would start a list: escape the marker's last character."""
    match = _BLOCK_START.match(text)
    if match is None:
        return text
    marker = match.group(1)
    return marker[:-1] + "\\" + marker[-1] + text[match.end() :]


_WIKILINK = re.compile(r"\[\[([^\[\]|#^\r\n]+)((?:[#^][^\[\]|\r\n]*)?)(?:\|([^\[\]|\r\n]*))?\]\]")


def md_links(value: object) -> str:
    """Like `md`, but well-formed `[[links]]` in the text stay links (embeds do not)."""
    text = _NEWLINES.sub(" ", str(value)).strip()
    parts: list[str] = []
    position = 0
    for match in _WIKILINK.finditer(text):
        if match.start() > 0 and text[match.start() - 1] == "!":
            continue
        parts.append(_inline(text[position : match.start()]))
        parts.append(match.group(0))
        position = match.end()
    parts.append(_inline(text[position:]))
    return _block("".join(parts))


def mermaid(value: object) -> str:
    """Text safe inside a quoted Mermaid label."""
    text = _NEWLINES.sub(" ", str(value)).strip()
    return text.replace('"', "'").replace(";", ",").replace("#", "no. ")


_ALIAS_BREAKING = re.compile(r"[\[\]|]")


def wikilink(name: object, path: object = None, shown: object = None) -> str:
    """`[[name]]`, or `[[name|shown]]` for a person whose `name` the title does not say
    (`[[Jane Doe - Acme Inc|Jane Doe]]`); a name Obsidian cannot link gets a
    percent-encoded Markdown link instead."""
    text = _NEWLINES.sub(" ", str(name)).strip()
    label = ""
    if shown and str(shown) != str(name):
        label = _ALIAS_BREAKING.sub("", _NEWLINES.sub(" ", str(shown))).strip()
    if text and not _UNLINKABLE.search(text):
        return f"[[{text}|{label}]]" if label and label != text else f"[[{text}]]"
    target = str(path) if path else f"{text}.md"
    return f"[{md(label or text)}]({quote(target, safe='/')})"


def shipped_templates() -> Path:
    """The templates that come with netzwerk (installed package, else the source checkout)."""
    # The package's own folder, as `importlib.resources.files("netzwerk")` gives it for an
    # installed package, without importing importlib.resources (20 ms) on every run.
    package = Path(__file__).resolve().parent
    installed = package / "templates"
    if installed.is_dir():
        return installed
    return package.parent / "templates"


def environment(config: Config) -> Any:  # sandbox.BoundedEnvironment
    """A sandboxed, bounded Jinja2 environment (`netzwerk.sandbox`) looking in the vault's
    templates folder first; one for each render, as its limits count from its start."""
    from netzwerk.sandbox import COMPILED, BoundedEnvironment, TemplateLoader

    # The vault's own templates may be links within the vault; the shipped ones stay shipped.
    places = [(config.templates_path, config.root), (shipped_templates(), shipped_templates())]
    env = BoundedEnvironment(
        loader=TemplateLoader(places),
        undefined=_strict_undefined(),
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=COMPILED,
    )
    env.filters["md"] = md
    env.filters["md_links"] = md_links
    env.filters["wikilink"] = wikilink
    env.filters["mermaid"] = mermaid
    env.filters["times"] = times
    return env


def _strict_undefined() -> type[jinja2.Undefined]:
    import jinja2

    return jinja2.StrictUndefined


def _searchpath(config: Config) -> list[str]:
    return [str(p) for p in (config.templates_path, shipped_templates()) if p.is_dir()]


def render(config: Config, name: str, context: Mapping[str, object]) -> str:
    """Render template `name` with `context` as data; RenderError (one line, naming the file
    and line) for a broken template or one over netzwerk's limits."""
    return renderer(config, name)(context)


def renderer(config: Config, name: str) -> Callable[[Mapping[str, object]], str]:
    """Template `name` loaded once, for rendering many times (`import` makes many notes);
    each render within the sandbox's limits of its own."""
    env = environment(config)
    template: list[jinja2.Template] = []

    def rendered(context: Mapping[str, object]) -> str:
        with _template_errors(config, env, name):
            env.restart()
            if not template:
                template.append(env.get_template(name))
            return _generate(template[0], context)
        raise AssertionError("unreachable")  # pragma: no cover - the block returns or raises

    return rendered


@contextlib.contextmanager
def _template_errors(config: Config, env: Any, name: str) -> Iterator[None]:
    """Whatever a user's template does wrong, or beyond netzwerk's limits, as one RenderError
    line naming the file and line."""
    import jinja2

    try:
        yield
    except jinja2.TemplateSyntaxError as exc:
        where = _where(config, exc.filename or exc.name or name, exc.lineno)
        raise RenderError(f"{where}: template syntax error: {_one_line(exc.message)}") from None
    except jinja2.TemplateNotFound as exc:
        filename, line = _template_frame(env, exc)
        where = _where(config, filename or _template_file(env, name), line)
        raise RenderError(f"{where}: template not found: {exc.name}") from None
    except RecursionError:
        where = _where(config, _template_file(env, name), None)
        raise RenderError(
            f"{where}: template includes, extends or calls itself without end"
        ) from None
    except Exception as exc:  # anything a user's template can do wrong: one line, no traceback
        filename, line = _template_frame(env, exc)
        where = _where(config, filename or _template_file(env, name), line)
        if isinstance(exc, jinja2.TemplateError):
            message = exc.message
        elif isinstance(exc, UnicodeDecodeError):
            message = "the template is not valid UTF-8"
        elif isinstance(exc, MemoryError):
            message = "the template needs more memory than there is"
        else:
            message = f"{type(exc).__name__}: {exc}"
        raise RenderError(f"{where}: template error: {_one_line(message)}") from None


def _generate(template: jinja2.Template, context: Mapping[str, object]) -> str:
    """The template's text, piece by piece, its size checked as it grows (the clock is read
    at each `{{ … }}` output, loop and call: `netzwerk.sandbox`)."""
    from netzwerk.sandbox import MAX_OUTPUT, TemplateLimit

    pieces: list[str] = []
    size = 0
    for piece in template.generate(**context):
        size += len(piece)
        if size > MAX_OUTPUT:
            raise TemplateLimit(f"the template's output is over {MAX_OUTPUT:,} characters")
        pieces.append(piece)
    return "".join(pieces)


def _one_line(message: str | None) -> str:
    return _NEWLINES.sub(" ", message or "unknown error").strip()


def _template_file(env: jinja2.Environment, name: str) -> str:
    loader = env.loader
    if loader is not None:
        try:
            _, filename, _ = loader.get_source(env, name)
        except Exception:  # the template itself is missing
            return name
        if filename:
            return filename
    return name


def _template_frame(env: jinja2.Environment, exc: BaseException) -> tuple[str | None, int | None]:
    """The innermost traceback frame in a template (Jinja2 rewrites them to template lines)."""
    import traceback

    folders = [Path(p) for p in getattr(env.loader, "searchpath", ())]
    found: tuple[str | None, int | None] = (None, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if any(Path(frame.filename).is_relative_to(f) for f in folders):
            found = (frame.filename, frame.lineno)
    return found


def _where(config: Config, filename: str, line: int | None) -> str:
    path = Path(filename)
    try:
        shown = path.resolve().relative_to(config.root.resolve()).as_posix()
    except (ValueError, OSError):
        shown = filename
    return shown if line is None else f"{shown}:{line}"
