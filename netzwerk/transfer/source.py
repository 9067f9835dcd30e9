"""An export file on disk -> records: read it whole (with a size limit), find out what it is
from its content, decode it, and hand it to the CSV or vCard reader."""

from __future__ import annotations

import re
from pathlib import Path

from netzwerk.problems import Problem, error, warning
from netzwerk.transfer.record import Decoded, Read

FORMATS = ("auto", "linkedin", "google", "outlook", "vcard")
MAX_BYTES = 256 * 1024 * 1024  # a phone's export with photos is tens of MiB

_BOM = b"\xef\xbb\xbf"
_VCARD = re.compile(rb"(?im)^[ \t]*BEGIN[ \t]*:[ \t]*VCARD[ \t]*\r*$")


def read_export(path: Path, shown: str, wanted: str = "auto") -> Read:
    """The records of one export file; what goes wrong is in the problems, never raised."""
    data, problem = _read_bytes(path, shown)
    if data is None:
        return Read([], [problem] if problem else [], "")
    if not data.strip(b" \t\r\n\x00" + _BOM):
        return Read([], [error(shown, None, "NW602", "the file is empty; nothing to import")], "")
    kind = sniff(data)
    if kind is None:
        message = (
            "not a contacts export netzwerk knows (a LinkedIn, Google or Outlook CSV file, "
            "or vCard)"
        )
        return Read([], [error(shown, None, "NW602", message)], "")
    if kind == "vcard":
        if wanted not in ("auto", "vcard"):
            return _not_what_was_asked(shown, wanted, "a vCard file")
        from netzwerk.transfer.vcard import read_vcards

        return read_vcards(data, shown)
    if wanted == "vcard":
        return _not_what_was_asked(shown, wanted, "a CSV file")
    from netzwerk.transfer.csvfile import read_csv

    decoded = decode(data, shown)
    read = read_csv(decoded, shown, wanted)
    return read._replace(problems=decoded.problems + read.problems)


def _not_what_was_asked(shown: str, wanted: str, found: str) -> Read:
    message = f"--from {wanted}: this is {found}; try --from auto"
    return Read([], [error(shown, None, "NW602", message)], "")


def _read_bytes(path: Path, shown: str) -> tuple[bytes | None, Problem | None]:
    try:
        if path.is_dir():
            return None, error(shown, None, "NW601", "is a folder, not an export file")
        size = path.stat().st_size
        if size > MAX_BYTES:
            limit = MAX_BYTES // (1024 * 1024)
            return None, error(shown, None, "NW601", f"the file is over {limit} MiB; split it")
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return None, error(shown, None, "NW601", "no such file")
    except OSError as exc:
        return None, error(shown, None, "NW601", f"cannot read: {exc.strerror or exc}")
    if len(data) > MAX_BYTES:  # grew while read (a pipe, a device)
        limit = MAX_BYTES // (1024 * 1024)
        return None, error(shown, None, "NW601", f"the file is over {limit} MiB; split it")
    return data, None


def sniff(data: bytes) -> str | None:
    """ "vcard", "csv" or None (binary, or no text netzwerk reads), from the first 64 KiB."""
    head = data[:65536]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            head = head.decode("utf-16").encode("utf-8", "replace")
        except UnicodeDecodeError:
            return None
    if _VCARD.search(head):
        return "vcard"
    sample = head.removeprefix(_BOM)
    if b"\x00" in sample:
        return None
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if controls > len(sample) // 100 or not any(c in sample for c in (b",", b";", b"\t")):
        return None
    return "csv"


def decode(data: bytes, shown: str) -> Decoded:
    """UTF-8 (a BOM tolerated); UTF-16 with its BOM; a file with no UTF-8 at all is read as
    Windows-1252 (Outlook's "ANSI") with a warning; UTF-8 with a few broken sequences keeps
    its UTF-8 and names the broken lines."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return Decoded(_lines(data.decode("utf-16")), "utf-16", {}, [])
        except UnicodeDecodeError:
            pass
    data = data.removeprefix(_BOM)
    try:
        return Decoded(_lines(data.decode("utf-8")), "utf-8", {}, [])
    except UnicodeDecodeError:
        pass
    loose = data.decode("utf-8", errors="replace")
    if not any(ord(c) > 127 and c != "\ufffd" for c in loose):
        message = "the file is not UTF-8; read it as Windows-1252 (check accented letters)"
        text = data.decode("cp1252", errors="replace")
        return Decoded(_lines(text), "cp1252", {}, [warning(shown, None, "NW603", message)])
    bad: dict[int, int] = {}
    for number, line in enumerate(_byte_lines(data), 1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as exc:
            bad[number] = line[exc.start]
    return Decoded(_lines(loose), "utf-8", bad, [])


def _byte_lines(data: bytes) -> list[bytes]:
    """Lines as `_lines` counts them (`\\r\\r\\n` and `\\r\\n` end one line)."""
    data = data.replace(b"\r\r\n", b"\n").replace(b"\r\n", b"\n")
    if b"\n" not in data:
        data = data.replace(b"\r", b"\n")
    return data.split(b"\n")


def _lines(text: str) -> str:
    """LF line ends: `\\r\\r\\n` (iPhone files) and `\\r\\n` are one line end; a file of lone
    `\\r` (old Mac) is split at them. A lone `\\r` elsewhere stays (it may be in a field)."""
    text = text.replace("\r\r\n", "\n").replace("\r\n", "\n")
    if "\n" not in text:
        text = text.replace("\r", "\n")
    return text
