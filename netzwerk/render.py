"""The Jinja2 environment: templates from the vault's templates folder, else the shipped ones."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from netzwerk.config import Config

if TYPE_CHECKING:
    import jinja2

# Characters Obsidian does not allow in a file name it links to.
_UNLINKABLE = re.compile(r"[\[\]|#^]")
# Inline Markdown (CommonMark and Obsidian's own: ==highlight==, %%comment%%, $math$, ^block).
_INLINE = re.compile(r"([\\`*_\[\]<>#|~$=^%&])")
_BLOCK_START = re.compile(r"^([-+]|\d+[.)])(?=\s|$)")
_NEWLINES = re.compile(r"\s*[\r\n\u2028\u2029\x85\x0b\x0c]+\s*")


DIGEST_TEMPLATE = "digest.md.j2"  # here, so that it is known without importing the digest


class RenderError(Exception):
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


def times(count: int) -> str:
    """`once`, `twice`, `3 times`."""
    return "once" if count == 1 else "twice" if count == 2 else f"{count} times"


def wikilink(name: object, path: object = None) -> str:
    """`[[name]]`; a name Obsidian cannot link gets a percent-encoded Markdown link instead."""
    text = _NEWLINES.sub(" ", str(name)).strip()
    if text and not _UNLINKABLE.search(text):
        return f"[[{text}]]"
    target = str(path) if path else f"{text}.md"
    return f"[{md(text)}]({quote(target, safe='/')})"


def shipped_templates() -> Path:
    """The templates that come with netzwerk (installed package, else the source checkout)."""
    # The package's own folder, as `importlib.resources.files("netzwerk")` gives it for an
    # installed package, without importing importlib.resources (20 ms) on every run.
    package = Path(__file__).resolve().parent
    installed = package / "templates"
    if installed.is_dir():
        return installed
    return package.parent / "templates"


def environment(config: Config) -> jinja2.Environment:
    """A Jinja2 environment looking in the vault's templates folder first."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_searchpath(config)),
        bytecode_cache=_bytecode_cache(config),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = md
    env.filters["md_links"] = md_links
    env.filters["wikilink"] = wikilink
    env.filters["mermaid"] = mermaid
    env.filters["times"] = times
    return env


def _searchpath(config: Config) -> list[str]:
    return [str(p) for p in (config.templates_path, shipped_templates()) if p.is_dir()]


def _bytecode_cache(config: Config) -> jinja2.BytecodeCache | None:
    """Compiled templates in the vault's cache (only if it exists), saving a compile per run."""
    import jinja2

    class _QuietCache(jinja2.FileSystemBytecodeCache):
        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            with contextlib.suppress(OSError):  # a read-only cache is no error
                super().dump_bytecode(bucket)

    if not config.cache_dir.is_dir():
        return None
    folder = config.cache_dir / "templates"
    try:
        folder.mkdir(exist_ok=True)
    except OSError:
        return None
    return _QuietCache(str(folder))


def precompile(config: Config, name: str) -> jinja2.Environment:
    """Load template `name`, compiling it into the vault's cache, where `render` finds it
    compiled; a helper process does this while this one is busy. Errors are `render`'s to
    report. The environment it was loaded in."""
    env = environment(config)
    with contextlib.suppress(Exception):
        env.get_template(name)
    return env


def prepare(config: Config, name: str) -> None:
    """Load Jinja2 and template `name` before `render` asks for them: while this process waits
    for a helper, say. Errors are `render`'s to report."""
    global _prepared
    _prepared = (config, _searchpath(config), precompile(config, name))


# Taken by the next `render`, if the vault's templates folder is still where it was.
_prepared: tuple[Config, list[str], jinja2.Environment] | None = None


def render(config: Config, name: str, context: Mapping[str, object]) -> str:
    """Render template `name` with `context` as data; RenderError names the file and line."""
    global _prepared
    import jinja2

    prepared, _prepared = _prepared, None
    if prepared is not None and prepared[:2] == (config, _searchpath(config)):
        env = prepared[2]
    else:
        env = environment(config)
    try:
        template = env.get_template(name)
        return template.render(**context)
    except jinja2.TemplateSyntaxError as exc:
        where = _where(config, exc.filename or exc.name or name, exc.lineno)
        raise RenderError(f"{where}: template syntax error: {_one_line(exc.message)}") from None
    except jinja2.TemplateNotFound as exc:
        filename, line = _template_frame(env, exc)
        where = _where(config, filename or _template_file(env, name), line)
        raise RenderError(f"{where}: template not found: {exc.name}") from None
    except RecursionError:
        where = _where(config, _template_file(env, name), None)
        raise RenderError(f"{where}: template includes or extends itself") from None
    except Exception as exc:  # anything a user's template can do wrong: one line, no traceback
        filename, line = _template_frame(env, exc)
        where = _where(config, filename or _template_file(env, name), line)
        if isinstance(exc, jinja2.TemplateError):
            message = exc.message
        elif isinstance(exc, UnicodeDecodeError):
            message = "the template is not valid UTF-8"
        else:
            message = f"{type(exc).__name__}: {exc}"
        raise RenderError(f"{where}: template error: {_one_line(message)}") from None


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
