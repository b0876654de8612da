"""Uploaded spreadsheets → a header row and text cells (CSV in UTF-8 or GB18030, or XLSX)."""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from app.errors import AppError, PayloadTooLarge, UnprocessableEntity

#: largest upload accepted (the request body limit of the deployment applies as well)
MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 200

CSV_EXTENSIONS = (".csv", ".txt", ".tsv")
XLSX_EXTENSIONS = (".xlsx", ".xlsm")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls
#: what openpyxl raises on a damaged workbook: a broken zip or zip member, XML that does not
#: parse (SyntaxError covers both XML parsers), a cell or reference that is not what its
#: type says (ValueError, LookupError), a part missing where one is expected
_DAMAGED_XLSX = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    SyntaxError,
    LookupError,
    ValueError,
    TypeError,
    AttributeError,
)


class UnsupportedFile(AppError):
    status = 415
    code = "unsupported_file_type"
    title = "Unsupported file type"


class UnreadableFile(AppError):
    status = 422
    code = "unreadable_file"
    title = "The file cannot be read"


@dataclass
class Table:
    format: str
    headers: list[str]
    #: (row number as a spreadsheet shows it, cells padded to the headers), blank rows left out
    rows: list[tuple[int, list[str]]]


def detect_format(filename: str, data: bytes) -> str:
    """`csv` or `xlsx`, judged by the content first and the file name second."""
    name = filename.lower()
    if data.startswith(_ZIP_MAGIC):
        if name.endswith(CSV_EXTENSIONS):
            raise UnsupportedFile("The file is named .csv but is a zip archive (XLSX?).")
        return "xlsx"
    if data.startswith(_OLE_MAGIC) or name.endswith(".xls"):
        raise UnsupportedFile("Legacy .xls files are not supported; save as .xlsx or .csv.")
    if name.endswith(XLSX_EXTENSIONS):
        raise UnsupportedFile("The file is named .xlsx but is not an XLSX workbook.")
    if b"\x00" in data[:8192]:
        raise UnsupportedFile("Upload a CSV or XLSX file; this looks like another format.")
    if "." in name and not name.endswith(CSV_EXTENSIONS):
        raise UnsupportedFile("Upload a CSV or XLSX file.")
    return "csv"


def read_table(filename: str, data: bytes, *, header_only: bool = False) -> Table:
    """The first sheet (or the CSV) as text cells. 415/422 problems for what cannot be read."""
    if len(data) > MAX_BYTES:
        raise PayloadTooLarge(f"Import files are limited to {MAX_BYTES // (1024 * 1024)} MB.")
    if not data.strip():
        raise UnreadableFile("The file is empty.")
    fmt = detect_format(filename, data)
    records = _csv_records(data) if fmt == "csv" else _xlsx_records(data)
    headers: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for number, cells in records:
        if headers is None:
            if not any(cells):
                continue
            headers = _unique_headers(cells)
            if header_only:
                break
            continue
        if not any(cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise UnprocessableEntity(
                f"Import at most {MAX_ROWS} rows per file; split the file.", code="too_many_rows"
            )
        width = len(headers)
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        rows.append((number, cells[:width]))
    if headers is None:
        raise UnreadableFile("The file has no header row.")
    return Table(fmt, headers, rows)


def _unique_headers(cells: list[str]) -> list[str]:
    while cells and not cells[-1]:
        cells = cells[:-1]
    if len(cells) > MAX_COLUMNS:
        raise UnreadableFile(f"The file has more than {MAX_COLUMNS} columns.")
    seen: dict[str, int] = {}
    out: list[str] = []
    for index, raw in enumerate(cells):
        name = raw or f"column {index + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        out.append(name)
    return out


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("The CSV is neither UTF-8 nor GB18030 text.")


def _csv_records(data: bytes) -> Iterator[tuple[int, list[str]]]:
    text = _decode(data)
    first_line = text[: text.find("\n")] if "\n" in text else text
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, record in enumerate(reader, start=1):
            yield number, [cell.strip() for cell in record]
    except csv.Error as exc:
        raise UnreadableFile(f"The CSV is malformed: {exc}.") from None


def _xlsx_records(data: bytes) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _DAMAGED_XLSX as exc:
        raise UnreadableFile(f"The workbook cannot be opened: {exc}.") from None
    try:
        if not book.worksheets:
            raise UnreadableFile("The workbook has no sheet.")
        sheet = book.worksheets[0]
        # some writers store a wrong sheet dimension; read what is really there
        sheet.reset_dimensions()
        rows: Iterable[tuple[Any, ...]] = sheet.iter_rows(min_row=1, values_only=True)
        # the sheet is parsed as it is read: damage further down shows up only here
        try:
            for number, values in enumerate(rows, start=1):
                yield number, [_text(v) for v in values]
        except _DAMAGED_XLSX as exc:
            raise UnreadableFile(f"The workbook is damaged: {exc}.") from None
    finally:
        book.close()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else str(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).strip()
