"""Recognising uploaded files by their content, not by their name (no database).

People upload signed scans, their own regulation, evidence of roadmap activities; a file is
accepted only when its first bytes match a format the platform can keep and show again.
"""

from __future__ import annotations

import zipfile

from django.core.exceptions import ValidationError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

FORMAT_LABELS = {"pdf": "PDF", "docx": "DOCX", "xlsx": "XLSX", "jpeg": "JPEG", "png": "PNG"}


def file_format(upload) -> str | None:
    """'pdf', 'docx', 'xlsx', 'jpeg', 'png' or None, judged by the content."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        finally:
            upload.seek(0)
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def validate_upload(upload, *, allowed: tuple[str, ...], field_label: str) -> str:
    """The file's format when it is one of `allowed`; otherwise a ValidationError in Russian."""
    expected = ", ".join(FORMAT_LABELS[name] for name in allowed)
    if upload is None or not upload.size:
        raise ValidationError(f"{field_label}: файл пустой. Допустимые форматы: {expected}.")
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(f"{field_label}: файл больше 10 МБ.")
    kind = file_format(upload)
    if kind not in allowed:
        raise ValidationError(f"{field_label}: файл не является документом допустимого формата ({expected}).")
    return kind


def stored_file_response(field):
    """A stored upload as a download; the caller has already checked access to its object."""
    from django.http import FileResponse, Http404

    if not field:
        raise Http404("Файл не найден.")
    try:
        handle = field.open("rb")
    except FileNotFoundError as error:
        raise Http404("Файл не найден.") from error
    return FileResponse(handle, as_attachment=True, filename=field.name.rsplit("/", 1)[-1])
