import pytest
from django.core.exceptions import ValidationError

from tenants.validators import inn_check_digits, is_valid_inn, validate_inn, validate_time_zone


@pytest.mark.parametrize("inn", ["7707083893", "3444054540", "500100732259", "7830002293"])
def test_real_inns_pass_the_check_digits(inn):
    assert is_valid_inn(inn)
    validate_inn(inn)


@pytest.mark.parametrize(
    ("inn", "fragment"),
    [
        ("7707083894", "контрольных цифр"),
        ("500100732258", "контрольных цифр"),
        ("77070838", "10 цифр"),
        ("77070838AB", "только из цифр"),
        ("1234567890123", "10 цифр"),
    ],
)
def test_bad_inns_are_refused_with_a_message_naming_the_problem(inn, fragment):
    with pytest.raises(ValidationError) as error:
        validate_inn(inn)
    assert fragment in error.value.messages[0]


def test_check_digits_complete_a_prefix_into_a_valid_inn():
    assert is_valid_inn("770708389" + inn_check_digits("770708389"))
    assert is_valid_inn("5001007322" + inn_check_digits("5001007322"))


def test_unknown_time_zone_is_refused():
    validate_time_zone("Europe/Volgograd")
    with pytest.raises(ValidationError, match="Неизвестный часовой пояс"):
        validate_time_zone("Europe/Stalingrad")
