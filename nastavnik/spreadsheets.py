"""Reading tables that people upload (XLSX or CSV exported from Excel or HR software).

Pure parsing, no database. Errors are SpreadsheetError with a Russian message for the user.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

MAX_ROWS = 20_000


class SpreadsheetError(ValueError):
    pass


@dataclass
class Table:
    headers: list[str]
    # Each row keeps its line number in the file (the header is line 1).
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def normalize_header(value: str) -> str:
    return " ".join(str(value or "").replace("ё", "е").replace("Ё", "Е").split()).lower()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return (
            value.isoformat()[:10] if hasattr(value, "hour") and not (value.hour or value.minute) else value.isoformat()
        )
    return str(value).strip()


def _read_xlsx(content: bytes) -> list[list[str]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise SpreadsheetError(
            "Файл не удалось прочитать как таблицу XLSX: он повреждён или имеет другой формат."
        ) from error
    sheet = workbook.worksheets[0]
    rows = []
    for index, row in enumerate(sheet.iter_rows(values_only=True)):
        if index > MAX_ROWS + 1:
            raise SpreadsheetError(f"В файле больше {MAX_ROWS} строк; разделите его на части.")
        rows.append([_cell(value) for value in row])
    workbook.close()
    return rows


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise SpreadsheetError("Файл не похож на таблицу: ожидается XLSX или CSV (UTF-8 или Windows-1251).")


def _read_csv(content: bytes) -> list[list[str]]:
    text = _decode(content)
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    if first_line.count(delimiter) == 0:
        delimiter = ";"
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = []
    try:
        for index, row in enumerate(reader):
            if index > MAX_ROWS + 1:
                raise SpreadsheetError(f"В файле больше {MAX_ROWS} строк; разделите его на части.")
            rows.append([cell.strip() for cell in row])
    except csv.Error as error:
        raise SpreadsheetError(f"Файл CSV записан неверно (строка {reader.line_num}).") from error
    return rows


def read_table(content: bytes, filename: str) -> Table:
    """Parse an uploaded XLSX or CSV file into headers and non-empty rows."""
    if not content or not content.strip():
        raise SpreadsheetError("Файл пуст.")
    name = (filename or "").lower()
    if zipfile.is_zipfile(io.BytesIO(content)):
        raw = _read_xlsx(content)
    elif name.endswith((".xlsx", ".xlsm")):
        raise SpreadsheetError("Файл назван как XLSX, но не является таблицей Excel.")
    elif name.endswith(".xls"):
        raise SpreadsheetError("Старый формат Excel (.xls) не поддерживается: сохраните файл как XLSX.")
    else:
        raw = _read_csv(content)
    while raw and not any(raw[0]):
        raw.pop(0)
    if not raw:
        raise SpreadsheetError("Файл пуст.")
    headers = [str(cell).strip() for cell in raw[0]]
    while headers and not headers[-1]:
        headers.pop()
    table = Table(headers=headers)
    for offset, row in enumerate(raw[1:], start=2):
        cells = (list(row) + [""] * len(headers))[: len(headers)]
        if any(cells):
            table.rows.append((offset, cells))
    if len(table.rows) > MAX_ROWS:
        raise SpreadsheetError(f"В файле больше {MAX_ROWS} строк; разделите его на части.")
    return table


def map_columns(headers: list[str], columns: dict[str, str], required: set[str]) -> dict[str, int]:
    """Match the file's headers to known columns ({key: Russian header}); return {key: index}.

    Unknown and missing columns are both errors, named in the message.
    """
    wanted = {normalize_header(title): key for key, title in columns.items()}
    mapping: dict[str, int] = {}
    unknown = []
    for index, header in enumerate(headers):
        key = wanted.get(normalize_header(header))
        if key is None:
            if header:
                unknown.append(header)
            continue
        if key in mapping:
            raise SpreadsheetError(f"Столбец «{columns[key]}» встречается в файле дважды.")
        mapping[key] = index
    problems = []
    missing = [columns[key] for key in columns if key in required and key not in mapping]
    if missing:
        problems.append("нет обязательных столбцов: " + ", ".join(f"«{m}»" for m in missing))
    if unknown:
        problems.append("неизвестные столбцы: " + ", ".join(f"«{u}»" for u in unknown))
    if problems:
        expected = ", ".join(f"«{title}»" for title in columns.values())
        raise SpreadsheetError("Столбцы файла не подходят: " + "; ".join(problems) + f". Ожидаются: {expected}.")
    return mapping
