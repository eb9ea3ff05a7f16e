"""Bulk onboarding from a file: validate everything first, write nothing on error, idempotent."""

import csv
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tenants.models import Domain, Organization
from tenants.onboarding import COLUMNS, onboarding_apply, onboarding_validate
from tenants.validators import inn_check_digits

HEADER = list(COLUMNS.values())


def inn(prefix: str) -> str:
    return prefix + inn_check_digits(prefix)


def region_rows(region="nsk", inns=("540000001", "540000002", "540000003", "540000004")):
    return [
        [
            region,
            "регион",
            "",
            "",
            "Министерство образования Новосибирской области",
            "Новосибирская обл.",
            inn(inns[0]),
            "Новосибирск, Красный пр., 18",
            "edu.nsk.example",
            "Asia/Novosibirsk",
            "",
        ],
        [
            f"{region}-berdsk",
            "муниципалитет",
            region,
            "",
            "Управление образования г. Бердска",
            "г. Бердск",
            inn(inns[1]),
            "",
            "",
            "",
            "",
        ],
        [
            f"{region}-berdsk-sch-1",
            "организация",
            f"{region}-berdsk",
            "школа",
            "МБОУ «Средняя школа № 1» г. Бердска",
            "МБОУ СШ № 1",
            inn(inns[2]),
            "",
            "",
            "",
            f"{region}-sch1.localhost",
        ],
        [
            f"{region}-college",
            "организация",
            region,
            "колледж",
            "ГБПОУ «Бердский политехнический колледж»",
            "ГБПОУ БПК",
            inn(inns[3]),
            "",
            "",
            "",
            "",
        ],
    ]


def csv_bytes(rows, header=HEADER, delimiter=";", encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, header=HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def state():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_namespace")
        (schemas,) = cursor.fetchone()
    return Organization.objects.count(), Domain.objects.count(), schemas


def test_a_valid_csv_creates_the_region_in_hierarchy_order(world):
    rows = region_rows()
    rows.reverse()  # children listed before their parents still work
    plan = onboarding_validate(content=csv_bytes(rows), filename="region.csv")

    assert plan.is_valid, plan.errors
    assert (plan.to_create, plan.to_update, plan.unchanged) == (4, 0, 0)
    result = onboarding_apply(actor=None, rows=plan.rows)

    assert result.created == 4
    school = Organization.objects.get(code="nsk-berdsk-sch-1")
    assert school.parent.code == "nsk-berdsk"
    assert school.primary_domain == "nsk-sch1.localhost"
    assert school.time_zone == "Asia/Novosibirsk"
    assert Organization.objects.get(code="nsk-college").parent.code == "nsk"
    assert Organization.objects.get(code="nsk").website == "https://edu.nsk.example"


def test_an_xlsx_file_works_the_same_and_running_it_again_changes_nothing(world):
    content = xlsx_bytes(region_rows())
    onboarding_apply(actor=None, rows=onboarding_validate(content=content, filename="region.xlsx").rows)
    before = state()

    again = onboarding_validate(content=content, filename="region.xlsx")
    result = onboarding_apply(actor=None, rows=again.rows)

    assert (again.to_create, again.to_update, again.unchanged) == (0, 0, 4)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert state() == before


def test_a_changed_name_in_a_rerun_updates_the_organization_in_place(world):
    rows = region_rows()
    onboarding_apply(actor=None, rows=onboarding_validate(content=csv_bytes(rows), filename="r.csv").rows)
    rows[2][5] = "МБОУ «СШ № 1»"

    plan = onboarding_validate(content=csv_bytes(rows), filename="r.csv")
    result = onboarding_apply(actor=None, rows=plan.rows)

    assert (result.created, result.updated, result.unchanged) == (0, 1, 3)
    assert Organization.objects.get(code="nsk-berdsk-sch-1").short_name == "МБОУ «СШ № 1»"


def test_a_comma_separated_cp1251_file_from_excel_is_read(world):
    plan = onboarding_validate(content=csv_bytes(region_rows(), delimiter=",", encoding="cp1251"), filename="r.csv")
    assert plan.is_valid, plan.errors


def _errors(content, filename="r.csv"):
    before = state()
    plan = onboarding_validate(content=content, filename=filename)
    assert not plan.is_valid
    assert state() == before
    return [(error.line, error.column, error.message) for error in plan.errors]


def test_each_bad_row_is_reported_with_its_line_and_column_and_nothing_is_written(world):
    rows = region_rows()
    rows[1][2] = "no-such-region"  # unknown parent (line 3)
    rows[2][6] = "5400000039"  # bad INN (line 4)
    rows[3][0] = "nsk-berdsk"  # duplicate code (line 5)
    errors = _errors(csv_bytes(rows))

    assert (
        3,
        "Код вышестоящей",
        "вышестоящая организация с кодом «no-such-region» не найдена ни в файле, ни на платформе.",
    ) in errors
    assert any(line == 4 and column == "ИНН" and "контрольных цифр" in message for line, column, message in errors)
    assert any(line == 5 and column == "Код" and "строке 3" in message for line, column, message in errors)


@pytest.mark.parametrize(
    ("mutate", "line", "column", "fragment"),
    [
        (lambda r: r[2].__setitem__(10, "t-school-a.localhost"), 4, "Домен", "уже занят организацией"),
        (lambda r: r[3].__setitem__(10, "nsk-sch1.localhost"), 5, "Домен", "уже указан в строке 4"),
        (lambda r: r[2].__setitem__(1, "школа"), 4, "Уровень", "неизвестный уровень"),
        (lambda r: r[2].__setitem__(3, "университет"), 4, "Тип", "неизвестный тип"),
        (lambda r: r[1].__setitem__(3, "школа"), 3, "Тип", "только для образовательной"),
        (lambda r: r[0].__setitem__(9, ""), 2, "Часовой пояс", "для региона укажите часовой пояс"),
        (lambda r: r[0].__setitem__(9, "Europe/Nowhere"), 2, "Часовой пояс", "Неизвестный часовой пояс"),
        (lambda r: r[0].__setitem__(2, "t-region"), 2, "Код вышестоящей", "у региона не может быть"),
        (lambda r: r[1].__setitem__(2, "nsk-berdsk"), 3, "Код вышестоящей", "сама себе"),
        (lambda r: r[1].__setitem__(2, "t-mun"), 3, "Код вышестоящей", "не может подчиняться"),
        (lambda r: r[2].__setitem__(4, ""), 4, "Полное наименование", "не заполнено"),
        (lambda r: r[2].__setitem__(8, "не сайт"), 4, "Сайт", "записан неверно"),
        (lambda r: r[2].__setitem__(0, "Школа_1"), 4, "Код", "строчные латинские"),
    ],
)
def test_bad_values_are_named(world, mutate, line, column, fragment):
    rows = region_rows()
    mutate(rows)
    errors = _errors(csv_bytes(rows))
    assert any(n == line and c == column and fragment.lower() in m.lower() for n, c, m in errors), errors


def test_an_inn_already_registered_on_the_platform_is_refused(world):
    onboarding_apply(actor=None, rows=onboarding_validate(content=csv_bytes(region_rows()), filename="r.csv").rows)
    other = region_rows(region="omsk", inns=("550000001", "550000002", "540000003", "550000004"))
    errors = _errors(csv_bytes(other))
    assert any(c == "ИНН" and "уже принадлежит" in m for _, c, m in errors)


def test_an_existing_organization_cannot_be_moved_by_a_file(world):
    onboarding_apply(actor=None, rows=onboarding_validate(content=csv_bytes(region_rows()), filename="r.csv").rows)
    rows = region_rows()
    rows[3][2] = "nsk-berdsk"
    errors = _errors(csv_bytes(rows))
    assert any(c == "Код вышестоящей" and "перенос" in m for _, c, m in errors)


@pytest.mark.parametrize(
    ("content", "filename", "fragment"),
    [
        (b"", "r.csv", "Файл пуст"),
        (b"   \n  ", "r.csv", "Файл пуст"),
        (bytes(range(256)) * 4, "r.csv", "не похож на таблицу"),
        (b"%PDF-1.7 binary \x00\x01", "r.pdf", "не похож на таблицу"),
        (b"PK\x03\x04 broken zip", "r.xlsx", "XLSX"),
        (b"not a workbook", "r.xlsx", "не является таблицей Excel"),
        (b"\xd0\xcf\x11\xe0", "r.xls", "не поддерживается"),
        (csv_bytes([], header=HEADER), "r.csv", "нет ни одной строки"),
        (csv_bytes(region_rows(), header=["Код", "Уровень", "Наименование"]), "r.csv", "нет обязательных столбцов"),
        (csv_bytes(region_rows(), header=[*HEADER[:-1], "Телефон"]), "r.csv", "неизвестные столбцы: «Телефон»"),
    ],
)
def test_files_that_are_not_the_expected_table_are_refused(world, content, filename, fragment):
    errors = _errors(content, filename)
    assert any(fragment in m for _, _, m in errors), errors


def test_the_command_shows_progress_and_refuses_a_bad_file_without_writing(world, tmp_path, capsys):
    good = tmp_path / "region.csv"
    good.write_bytes(csv_bytes(region_rows()))
    call_command("onboard_region", str(good))
    output = capsys.readouterr()
    assert "создано 4" in output.out
    assert "4/4" in output.err

    rows = region_rows(region="tomsk", inns=("700000001", "700000002", "700000003", "700000004"))
    rows[1][2] = "missing"
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(rows))
    before = state()
    with pytest.raises(CommandError, match="Ничего не создано"):
        call_command("onboard_region", str(bad))
    assert "строка 3, столбец «Код вышестоящей»" in capsys.readouterr().err
    assert state() == before


def test_provision_org_command_reports_bad_input_in_russian(world):
    with pytest.raises(CommandError, match="Неизвестный уровень"):
        call_command("provision_org", "x", "--level", "страна", "--name", "X", "--short-name", "X")
    with pytest.raises(CommandError, match="не найдена"):
        call_command(
            "provision_org",
            "x",
            "--level",
            "организация",
            "--kind",
            "школа",
            "--parent",
            "nope",
            "--name",
            "X",
            "--short-name",
            "X",
        )


def test_the_example_file_in_the_docs_is_valid(world, settings):
    from pathlib import Path

    content = (Path(settings.BASE_DIR) / "docs" / "onboarding-example.csv").read_bytes()
    plan = onboarding_validate(content=content, filename="onboarding-example.csv")
    assert plan.is_valid, plan.errors
    assert plan.to_create == 5
