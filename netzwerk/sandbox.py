"""A Jinja2 environment for templates someone else wrote: sandboxed, and bounded in cost.

A vault's templates come from whoever can push to the vault. Jinja2's sandbox (the immutable
one) keeps a template away from Python's internals (`cycler.__init__.__globals__` and the like)
and from changing the data it is given. What no sandbox bounds is cost: `'x' * 10**9`,
`10 ** (10 ** 8)` or two nested `range(100000)` loops run for minutes or take all memory, and
the weekly digest runs unattended. So a render here is bounded too:

- **time**: the clock is read at every loop iteration, every call (macros, methods, filters)
  and every piece of output; after TIME_LIMIT seconds the render stops;
- **size**: the few operations through which a short template makes a huge value are sized
  *before* they run: repetition and powers (`*`, `**`), joining (`+`, `~`, `join`, `sum`, a
  macro's or block's text), substitution and padding (`replace`, `center`, `indent`,
  `wordwrap`, `format`, `%`, …). No value may have more than MAX_CHARS characters (as text)
  and no number more than MAX_BITS bits, every value the template makes counts towards
  MAX_MADE characters in all, and the output may not exceed MAX_OUTPUT.

Every operation not listed makes values at most a small multiple of its inputs, which are
bounded; so the memory a render takes is bounded as well as its time. Going over any limit
ends the render with one TemplateLimit line, and nothing is written.
"""

from __future__ import annotations

import functools
import math
import os
import re
import string
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from types import CodeType
from typing import Any, AnyStr

from jinja2 import BaseLoader, BytecodeCache, Environment, nodes
from jinja2.bccache import Bucket
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError, TemplateError, TemplateNotFound
from jinja2.filters import make_attrgetter
from jinja2.loaders import split_template_path
from jinja2.runtime import Context, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace

from netzwerk.files import read_regular, readable

TIME_LIMIT = 10.0  # seconds a render may take
MAX_CHARS = 8_000_000  # characters of one value (as text)
MAX_OUTPUT = 32_000_000  # characters of the output
MAX_MADE = 64_000_000  # characters of every value a render makes, together
MAX_BITS = 65_536  # bits of an integer
MAX_COUNT = 100_000  # items a count makes (`batch`, `slice`): Jinja2's own bound for `range`
MAX_TEMPLATE_BYTES = 1 << 20  # a template is a page of text, not a data file
# Tokens of one template (the shipped digest template has about 1,200). Compiling takes time
# and memory by the token: a 680 KB expression took 16 s and 2.5 GB before any render began.
MAX_TEMPLATE_TOKENS = 20_000


class TemplateLimit(SecurityError):
    """A template went over one of the limits; the message says which."""


def _count(number: int) -> str:
    return f"{number:,}"


class _Budget:
    """The limits of one render: its clock, and how much it made so far."""

    def __init__(self) -> None:
        self.deadline = time.monotonic() + TIME_LIMIT
        self.made = 0

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise TemplateLimit(
                f"the template ran for more than {TIME_LIMIT:g} s; netzwerk stops templates there"
            )

    def allow(self, size: int, what: str) -> None:
        """Refuse before making a value of `size` characters (or items, for a collection)."""
        if size > MAX_CHARS:
            raise TemplateLimit(
                f"{what} would make a value of {_count(size)} characters or items "
                f"(at most {_count(MAX_CHARS)})"
            )

    def allow_bits(self, bits: int, what: str) -> None:
        if bits > MAX_BITS:
            raise TemplateLimit(
                f"{what} would make a number of {_count(bits)} bits (at most {_count(MAX_BITS)})"
            )

    def charge(self, value: object, what: str) -> object:
        """Count a value the template made; refuse one too large, or one too many."""
        if isinstance(value, int) and not isinstance(value, bool):
            self.allow_bits(value.bit_length(), what)
            return value
        size = size_of(value)
        self.allow(size, what)
        self.made += size
        if self.made > MAX_MADE:
            raise TemplateLimit(
                f"the template made more than {_count(MAX_MADE)} characters or items in all"
            )
        return value


def size_of(value: object) -> int:
    """What a value takes: its characters, or its items for a collection (which holds only
    references: what its items would make as text is sized where it becomes text)."""
    if isinstance(value, str | bytes | bytearray | list | tuple | set | frozenset | Mapping):
        return len(value)
    return 0


def _deep_size(value: object) -> int:
    """What a value takes with everything it holds, a list held twice counted twice: a list
    of a million references to one long list is as costly to compare, sort or print as the
    copies would be (one C call that the clock cannot stop)."""
    if isinstance(value, str | bytes | bytearray):
        return len(value)
    return text_size(value, MAX_CHARS)


def text_size(value: object, limit: int) -> int:
    """About how many characters `str(value)` has (never fewer), found without making it; the
    count stops once it is over `limit`."""
    total = 0
    todo: list[object] = [value]
    while todo and total <= limit:
        item = todo.pop()
        if isinstance(item, str):
            total += len(item) if item is value else 4 * len(item) + 2  # repr escapes
        elif isinstance(item, bool) or item is None:
            total += 5
        elif isinstance(item, int):
            total += item.bit_length() // 3 + 2  # decimal digits: bits × log10(2) < bits / 3
        elif isinstance(item, bytes | bytearray):
            total += 4 * len(item) + 3
        elif isinstance(item, Mapping):
            total += 2 + 4 * len(item)
            todo.extend(item.keys())
            todo.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            total += 2 + 2 * len(item) + (64 if isinstance(item, tuple) else 0)  # named fields
            todo.extend(item)
        elif isinstance(item, Namespace):
            total += 16
            todo.append(dict(item._Namespace__attrs))
        else:  # dates, numbers, Undefined, generators, macros: short text
            total += 64
    return total


# --- what a few operations would make, before they run ----------------------------------------

_PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?[a-zA-Z%]")


def percent_size(fmt: str, args: object) -> int:
    """An upper bound of `fmt % args`."""
    values = list(args.values()) if isinstance(args, Mapping) else args
    largest = max((text_size(v, MAX_CHARS) for v in _items(values)), default=0)
    total = len(fmt)
    for match in _PERCENT.finditer(fmt):
        width, precision = match.group(1), match.group(2)
        if "*" in (width, precision):
            raise TemplateLimit("'%' formatting with a `*` width is not allowed in templates")
        total += int(width or 0) + int(precision or 0) + largest
    return total


def _items(values: object) -> list[object]:
    return list(values) if isinstance(values, tuple | list) else [values]


def format_size(fmt: str, args: Iterable[object], kwargs: Mapping[str, object]) -> int:
    """An upper bound of `fmt.format(*args, **kwargs)`."""
    values = [*args, *kwargs.values()]
    largest = max((text_size(v, MAX_CHARS) for v in values), default=0)
    total = len(fmt)
    try:
        fields = list(string.Formatter().parse(fmt))
    except ValueError:
        return total  # str.format refuses it the same way
    for _literal, field, spec, _conversion in fields:
        if field is None:
            continue
        if spec and "{" in spec:
            raise TemplateLimit("a format width taken from a value is not allowed in templates")
        total += largest + sum(int(n) for n in re.findall(r"\d+", spec or ""))
    return total


def replace_size(text: AnyStr, old: AnyStr, new: AnyStr, count: int | None = None) -> int:
    """An upper bound of `text.replace(old, new, count)`."""
    found = text.count(old) if old else len(text) + 1
    if count is not None and count >= 0:
        found = min(found, count)
    return len(text) + found * max(len(new) - len(old), 0)


# --- the environment ------------------------------------------------------------------------


class _Code(CodeGenerator):
    """Jinja2's code generator, except that every `for` loop runs through `guarded_loop` (the
    clock is read at each iteration) and `~` goes through `joined` (sized before it runs)."""

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        node.iter = nodes.Call(
            nodes.EnvironmentAttribute("guarded_loop"), [node.iter], [], None, None
        )
        super().visit_For(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.joined((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """The immutable sandbox with the limits of this module; one environment per render."""

    code_generator_class = _Code
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(optimized=False, finalize=self._output_value, **options)
        self.budget = _Budget()
        del self.globals["lipsum"]  # makes any amount of text from one call
        del self.filters["random"]  # the same vault and day give the same digest, byte for byte
        for name, func in list(self.filters.items()):
            self.filters[name] = self._guarded_filter(name, func)

    def restart(self) -> None:
        """The limits counted afresh: for the next render of a template loaded once."""
        self.budget = _Budget()

    def compile(self, source: Any, *args: Any, **kwargs: Any) -> Any:
        """Jinja2's compile, for a template of at most MAX_TEMPLATE_TOKENS tokens."""
        if isinstance(source, str):
            for number, _ in enumerate(self.lex(source)):
                if number >= MAX_TEMPLATE_TOKENS:
                    raise TemplateLimit(
                        f"the template is over {_count(MAX_TEMPLATE_TOKENS)} tokens long: too "
                        "large to compile"
                    )
        return super().compile(source, *args, **kwargs)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        # A field of a named tuple (every record netzwerk gives a template) is plain data:
        # answered without the general checks, which cost a digest of 10,000 people 10 ms.
        fields = getattr(type(obj), "_fields", None)
        if fields is not None and attr in fields and isinstance(obj, tuple):
            return True
        return super().is_safe_attribute(obj, attr, value)

    # --- the clock -------------------------------------------------------------------------

    def guarded_loop(self, iterable: Iterable[Any]) -> Iterator[Any]:
        """Every item of a `for` loop, the clock read before each."""
        tick = self.budget.tick
        for item in iterable:
            tick()
            yield item

    def _output_value(self, value: object) -> object:
        """Every `{{ … }}` output, sized before it becomes text (the vault's own data may be
        larger than a value the template makes, up to the whole output)."""
        self.budget.tick()
        size = text_size(value, MAX_OUTPUT)
        if size > MAX_OUTPUT:
            raise TemplateLimit(f"the template's output is over {_count(MAX_OUTPUT)} characters")
        return value

    # --- operators ---------------------------------------------------------------------------

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        budget = self.budget
        budget.tick()
        what = f"'{operator}'"
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple | bytes) and isinstance(times, int):
                    size = _deep_size(seq) * max(times, 0)
                    budget.allow(size, f"repeating a value {_count(times)} times")
            if _ints(left, right):
                budget.allow_bits(left.bit_length() + right.bit_length(), what)
        elif operator == "**":
            if _ints(left, right) and right > 0 and abs(left) > 1:
                budget.allow_bits(int(math.log2(abs(left)) * right) + 1, what)
        elif operator == "+":
            if isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple):
                budget.allow(_deep_size(left) + _deep_size(right), what)
        elif operator == "%" and isinstance(left, str):
            budget.allow(percent_size(left, right), what)
        return budget.charge(super().call_binop(context, operator, left, right), what)

    def joined(self, parts: tuple[Any, ...]) -> str:
        """`a ~ b ~ …`."""
        self.budget.tick()
        self.budget.allow(sum(text_size(part, MAX_CHARS) for part in parts), "'~'")
        text = "".join(map(str, parts))
        self.budget.charge(text, "'~'")
        return text

    def concat(self, pieces: Iterable[str]) -> str:
        """The text of a macro, block or `{% set %}` block, from its pieces."""
        self.budget.tick()
        pieces = list(pieces)
        self.budget.allow(sum(map(len, pieces)), "a macro or block")
        text = "".join(pieces)
        self.budget.charge(text, "a macro or block")
        return text

    # --- calls -------------------------------------------------------------------------------

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        budget = __self.budget
        budget.tick()
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "a call")
        if isinstance(owner, str | bytes | bytearray):
            args = _check_text_method(budget, owner, name, args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        if isinstance(__obj, Macro):
            return result  # its text was counted as it was put together (`concat`)
        return budget.charge(result, f"{name}()")

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """`str.format` and `str.format_map` as the sandbox runs them, sized first."""
        wrapper = super().wrap_str_format(value)
        if wrapper is None:
            return None
        fmt: str = value.__self__
        is_map = value.__name__ == "format_map"
        budget = self.budget

        def sized(*args: Any, **kwargs: Any) -> str:
            budget.tick()
            mapping = args[0] if is_map and args and isinstance(args[0], Mapping) else {}
            positional = () if is_map else args
            budget.allow(format_size(fmt, positional, {**kwargs, **mapping}), "format()")
            text = wrapper(*args, **kwargs)
            budget.charge(text, "format()")
            return text

        return sized

    def _guarded_filter(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        """A filter with the clock read, its result sized first where it can grow, and counted."""
        from jinja2.utils import _PassArg

        leading = 0 if _PassArg.from_obj(func) is None else 1  # context or environment first
        check = _FILTER_CHECKS.get(name)

        @functools.wraps(func)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            budget = self.budget
            budget.tick()
            if check is not None:
                head, value, rest = args[:leading], args[leading], args[leading + 1 :]
                value, rest, kwargs = check(self, value, rest, kwargs)
                args = (*head, value, *rest)
            return budget.charge(func(*args, **kwargs), f"the filter {name!r}")

        return guarded


def _ints(*values: object) -> bool:
    return all(isinstance(v, int) and not isinstance(v, bool) for v in values)


def _number(value: object, default: int = 0) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _check_text_method(
    budget: _Budget,
    text: str | bytes | bytearray,
    name: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> tuple[Any, ...]:
    """Size the methods of text (and bytes) that can make much more than they are given."""
    what = f"{type(text).__name__}.{name}()"
    if name in ("center", "ljust", "rjust", "zfill") and args:
        budget.allow(max(len(text), _number(args[0])), what)
    elif name == "expandtabs":
        size = _number(args[0] if args else kwargs.get("tabsize"), 8)
        tabs = text.count("\t") if isinstance(text, str) else text.count(b"\t")
        budget.allow(len(text) + tabs * size, what)
    elif name == "replace" and len(args) >= 2:
        count = _number(args[2], -1) if len(args) > 2 else _number(kwargs.get("count"), -1)
        old, new = args[0], args[1]
        if isinstance(text, str) and isinstance(old, str):
            budget.allow(replace_size(text, old, str(new), count), what)
        elif isinstance(text, bytes | bytearray) and isinstance(old, bytes | bytearray | str):
            new = new if isinstance(new, bytes | bytearray) else str(new).encode()
            old = old if isinstance(old, bytes | bytearray) else old.encode()
            budget.allow(replace_size(bytes(text), bytes(old), bytes(new), count), what)
    elif name == "join" and args:
        items = list(args[0])
        size = sum(text_size(i, MAX_CHARS) for i in items) + len(text) * len(items)
        budget.allow(size, what)
        args = (items, *args[1:])
    elif name == "translate" and args and isinstance(text, str):
        table = args[0]
        if isinstance(table, Mapping):
            values: Iterable[object] = table.values()
        elif isinstance(table, list | tuple):
            values = table  # (indexed by the character's code)
        elif isinstance(table, str):
            values = ("",)  # one character for one
        else:
            raise TemplateLimit("str.translate() takes a dict, a list or a text as its table")
        longest = max((text_size(v, MAX_CHARS) for v in values), default=1)
        budget.allow(len(text) * max(longest, 1), what)
    return args


# Filters whose result can be much larger than their input: each sized before it runs. A check
# gets (environment, value, other positional arguments, keyword arguments) and returns them,
# possibly with an iterable value made a list so that it can be sized and still be used.
_Check = Callable[
    [BoundedEnvironment, Any, tuple[Any, ...], dict[str, Any]],
    tuple[Any, tuple[Any, ...], dict[str, Any]],
]


def _argument(rest: tuple[Any, ...], kwargs: dict[str, Any], at: int, name: str) -> Any:
    return rest[at] if len(rest) > at else kwargs.get(name)


def _check_replace(env: BoundedEnvironment, value: Any, rest: Any, kwargs: Any) -> Any:
    old, new = _argument(rest, kwargs, 0, "old"), _argument(rest, kwargs, 1, "new")
    count = _number(_argument(rest, kwargs, 2, "count"), -1)
    env.budget.allow(replace_size(str(value), str(old), str(new), count), "the filter 'replace'")
    return value, rest, kwargs


def _check_join(env: BoundedEnvironment, value: Any, rest: Any, kwargs: Any) -> Any:
    items = list(value)
    attribute = _argument(rest, kwargs, 1, "attribute")
    if attribute is not None:
        getter = make_attrgetter(env, attribute)
        items = [getter(item) for item in items]
        rest, kwargs = rest[:1], {k: v for k, v in kwargs.items() if k != "attribute"}
    separator = str(_argument(rest, kwargs, 0, "d") or "")
    size = sum(text_size(i, MAX_CHARS) for i in items) + len(separator) * len(items)
    env.budget.allow(size, "the filter 'join'")
    return items, rest, kwargs


def _check_sum(env: BoundedEnvironment, value: Any, rest: Any, kwargs: Any) -> Any:
    items = list(value)
    attribute = _argument(rest, kwargs, 0, "attribute")
    if attribute is not None:
        getter = make_attrgetter(env, attribute)
        items = [getter(item) for item in items]
        rest, kwargs = (None, *rest[1:]), {k: v for k, v in kwargs.items() if k != "attribute"}
    start = _argument(rest, kwargs, 1, "start")
    if not isinstance(start, int | float | None) or any(
        not isinstance(i, int | float) for i in items
    ):
        size = sum(size_of(i) for i in items) + size_of(start)
        env.budget.allow(size, "the filter 'sum'")
    return items, rest, kwargs


def _check_width(at: int, name: str) -> _Check:
    def check(env: BoundedEnvironment, value: Any, rest: Any, kwargs: Any) -> Any:
        width = _number(_argument(rest, kwargs, at, name))
        env.budget.allow(max(len(str(value)), width), "the filter's width")
        return value, rest, kwargs

    return check


def _check_indent(env: BoundedEnvironment, value: Any, rest: Any, kwargs: Any) -> Any:
    width = _argument(rest, kwargs, 0, "width")
    per_line = len(width) if isinstance(width, str) else _number(width, 4)
    text = str(value)
    env.budget.allow(len(text) + (text.count("\n") + 1) * per_line, "the filter 'indent'")
    return value, rest, kwargs


def _check_wordwrap(env: BoundedEnvironment, value: Any, rest: Any, kwargs: Any) -> Any:
    wrap = _argument(rest, kwargs, 2, "wrapstring")
    text = str(value)
    breaks = len(text) + 1  # a line holds at least one character
    env.budget.allow(len(text) + breaks * len(str(wrap or "\n")), "the filter 'wordwrap'")
    return value, rest, kwargs


def _check_format(env: BoundedEnvironment, value: Any, rest: Any, kwargs: Any) -> Any:
    env.budget.allow(percent_size(str(value), kwargs or tuple(rest)), "the filter 'format'")
    return value, rest, kwargs


def _check_count(at: int, name: str) -> _Check:
    def check(env: BoundedEnvironment, value: Any, rest: Any, kwargs: Any) -> Any:
        count = _number(_argument(rest, kwargs, at, name))
        if count > MAX_COUNT:
            raise TemplateLimit(f"a count of {_count(count)} (at most {_count(MAX_COUNT)})")
        return value, rest, kwargs

    return check


def _check_tojson(env: BoundedEnvironment, value: Any, rest: Any, kwargs: Any) -> Any:
    indent = _argument(rest, kwargs, 0, "indent")
    per_item = len(indent) if isinstance(indent, str) else _number(indent)
    env.budget.allow(text_size(value, MAX_CHARS) * (1 + per_item), "the filter 'tojson'")
    return value, rest, kwargs


def _check_urlize(env: BoundedEnvironment, value: Any, rest: Any, kwargs: Any) -> Any:
    text = str(value)
    target, rel = _argument(rest, kwargs, 2, "target"), _argument(rest, kwargs, 3, "rel")
    added = 64 + len(str(target or "")) + len(str(rel or ""))
    env.budget.allow(len(text) + (len(text) // 4 + 1) * added, "the filter 'urlize'")
    return value, rest, kwargs


def _check_text(env: BoundedEnvironment, value: Any, rest: Any, kwargs: Any) -> Any:
    env.budget.allow(text_size(value, MAX_CHARS), "making text of a value")
    return value, rest, kwargs


_FILTER_CHECKS: dict[str, _Check] = {
    "string": _check_text,
    "pprint": _check_text,
    "replace": _check_replace,
    "join": _check_join,
    "sum": _check_sum,
    "center": _check_width(0, "width"),
    "indent": _check_indent,
    "wordwrap": _check_wordwrap,
    "format": _check_format,
    "batch": _check_count(0, "linecount"),
    "slice": _check_count(0, "slices"),
    "tojson": _check_tojson,
    "urlize": _check_urlize,
}


# --- where templates come from ----------------------------------------------------------------


class TemplateLoader(BaseLoader):
    """Templates from (folder, within) places in order. A template is read only when it is a
    regular file whose real location lies inside its place's `within` (a vault's templates may
    be links within the vault): a link out of it, a FIFO or a huge file is no template."""

    def __init__(self, places: Iterable[tuple[Path, Path]]) -> None:
        self.places = [(Path(folder), Path(within)) for folder, within in places]
        self.searchpath = [str(folder) for folder, _ in self.places]  # for error locations

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)
        for folder, within in self.places:
            path = folder.joinpath(*pieces)
            if not os.path.lexists(path):
                continue
            if not readable(path, within):
                raise TemplateError(
                    f"{template} lies outside the vault or in a hidden folder of it (a link "
                    "leads there); netzwerk does not read it"
                )
            try:
                data = read_regular(path, MAX_TEMPLATE_BYTES)
            except OSError as exc:
                raise TemplateError(f"cannot read {template}: {exc.strerror or exc}") from None
            source = data.decode("utf-8")  # a UnicodeDecodeError is reported as such
            return source, str(path), functools.partial(_unchanged, path, _stamp(path))
        raise TemplateNotFound(template)


class CompiledTemplates(BytecodeCache):
    """The templates this process compiled, by file and source: one rendered again (by
    `watch` at every rebuild, by the tests) is not compiled again. In memory only, never in a
    file (compiled code read from one would run as it is), and only the last MAX_COMPILED."""

    def __init__(self) -> None:
        self._code: dict[str, tuple[str, CodeType]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        kept = self._code.get(bucket.key)
        if kept is not None and kept[0] == bucket.checksum:
            bucket.code = kept[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is None:
            return
        self._code.pop(bucket.key, None)
        self._code[bucket.key] = (bucket.checksum, bucket.code)
        while len(self._code) > MAX_COMPILED:
            del self._code[next(iter(self._code))]


MAX_COMPILED = 16
COMPILED = CompiledTemplates()  # (every BoundedEnvironment compiles a source to the same code)


def _unchanged(path: Path, stamp: int | None) -> bool:
    return _stamp(path) == stamp


def _stamp(path: Path) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None
