"""Records (named tuples, dataclasses) as marshal's plain values and back: how a kept result
made of records (the digest's week parts) is stored in `results.sqlite`.

Decoding builds only the record types it is given, dates, tuples and mappings: whatever a
cache file holds, reading it runs no code.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

# Tags of what is not a record (record tags are their class names, which start upper-case).
_TUPLE, _DATE, _MAP = "tuple", "date", "map"


def plain(value: Any) -> Any:
    """`value` (records, dates, tuples, mappings of them, str, numbers, None) as plain values:
    each tuple, date and mapping as (tag, content)."""
    if value is None or isinstance(value, str | int | float):
        return value
    if isinstance(value, tuple):
        content = tuple([plain(item) for item in value])
        fields = getattr(value, "_fields", None)
        return (_TUPLE if fields is None else type(value).__name__, content)
    if isinstance(value, list | frozenset | set):  # (kept as a tuple; sets sorted)
        items = value if isinstance(value, list) else sorted(value)
        return (_TUPLE, tuple([plain(item) for item in items]))
    if isinstance(value, date):
        return (_DATE, value.toordinal())
    if isinstance(value, Mapping):
        return (_MAP, tuple([(plain(k), plain(v)) for k, v in value.items()]))
    if dataclasses.is_dataclass(value):
        fields = [plain(getattr(value, f.name)) for f in dataclasses.fields(value)]
        return (type(value).__name__, tuple(fields))
    raise TypeError(f"cannot keep a {type(value).__name__}")


def unplain(data: Any, types: Mapping[str, Any]) -> Any:
    """The inverse of `plain`, building only records of `types` (by class name); ValueError for
    anything else."""
    if not isinstance(data, tuple):
        return data
    tag, content = data
    if tag == _TUPLE:
        return tuple([unplain(item, types) for item in content])
    if tag == _DATE:
        return date.fromordinal(content)
    if tag == _MAP:
        return MappingProxyType({unplain(k, types): unplain(v, types) for k, v in content})
    kind = types.get(tag)
    if kind is None:
        raise ValueError(f"not a record netzwerk keeps: {tag!r}")
    return kind(*[unplain(item, types) for item in content])
