"""Validators for Russian identifiers used by organizations. Pure functions, no database."""

from __future__ import annotations

from django.core.exceptions import ValidationError

_INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _check_digit(digits: list[int], weights: tuple[int, ...]) -> int:
    return sum(d * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def inn_check_digits(prefix: str) -> str:
    """The check digit(s) that complete a 9-digit (legal entity) or 10-digit prefix."""
    digits = [int(c) for c in prefix]
    if len(digits) == 9:
        return str(_check_digit(digits, _INN10_WEIGHTS))
    if len(digits) == 10:
        first = _check_digit(digits, _INN12_WEIGHTS_11)
        second = _check_digit([*digits, first], _INN12_WEIGHTS_12)
        return f"{first}{second}"
    raise ValueError("prefix must have 9 or 10 digits")


def is_valid_inn(value: str) -> bool:
    if not value.isdigit() or len(value) not in (10, 12):
        return False
    if len(value) == 10:
        return inn_check_digits(value[:9]) == value[9]
    return inn_check_digits(value[:10]) == value[10:]


def validate_inn(value: str) -> None:
    """ИНН: 10 digits (organization) or 12 digits (individual) with valid check digits."""
    if not value:
        return
    if not value.isdigit():
        raise ValidationError("ИНН должен состоять только из цифр.", code="inn_not_digits")
    if len(value) not in (10, 12):
        raise ValidationError(
            "ИНН должен содержать 10 цифр (организация) или 12 цифр (физическое лицо), указано %(count)s.",
            code="inn_length",
            params={"count": len(value)},
        )
    if not is_valid_inn(value):
        raise ValidationError(
            "ИНН %(value)s не проходит проверку контрольных цифр.", code="inn_checksum", params={"value": value}
        )


def validate_time_zone(value: str) -> None:
    import zoneinfo

    if value and value not in zoneinfo.available_timezones():
        raise ValidationError(
            "Неизвестный часовой пояс «%(value)s». Укажите его в формате IANA, например Europe/Volgograd.",
            code="time_zone",
            params={"value": value},
        )


def snils_check_digits(prefix: str) -> str:
    """The two check digits of a SNILS from its first nine digits."""
    total = sum(int(digit) * weight for digit, weight in zip(prefix, range(9, 0, -1), strict=True))
    if total < 100:
        check = total
    elif total in (100, 101):
        check = 0
    else:
        check = total % 101
        if check == 100:
            check = 0
    return f"{check:02d}"


def normalize_snils(value: str) -> str:
    return "".join(character for character in value if character.isdigit())


def validate_snils(value: str) -> None:
    """СНИЛС: 11 digits (separators allowed in input) with valid check digits."""
    if not value:
        return
    digits = normalize_snils(value)
    if len(digits) != 11:
        raise ValidationError(
            "СНИЛС должен содержать 11 цифр, указано %(count)s.", code="snils_length", params={"count": len(digits)}
        )
    # Numbers up to 001-001-998 were issued before check digits existed.
    if int(digits[:9]) > 1001998 and snils_check_digits(digits[:9]) != digits[9:]:
        raise ValidationError(
            "СНИЛС %(value)s не проходит проверку контрольного числа.", code="snils_checksum", params={"value": value}
        )
