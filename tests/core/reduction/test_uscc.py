"""The unified social credit code check character (GB 32100-2015)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hazeguard.reduction.uscc import (
    CREDIT_CODE_ALPHABET,
    CreditCodeError,
    credit_code_check_character,
    credit_code_problem,
    is_valid_credit_code,
    organization_code_check_character,
    validate_credit_code,
)

# Codes published on the enterprises' own registrations (national enterprise credit system), and
# the worked example of GB 32100-2015.
PUBLISHED_CODES = [
    "91350100M000100Y43",  # GB 32100-2015 worked example
    "914403001922038216",  # Huawei Technologies Co., Ltd.
    "9144030071526726XG",  # Shenzhen Tencent Computer Systems Co., Ltd.
    "91330100799655058B",  # Alibaba (China) Co., Ltd.
    "91110000802100433B",  # China Petroleum & Chemical Corporation (Sinopec)
]


@pytest.mark.parametrize("code", PUBLISHED_CODES)
def test_it_accepts_published_codes(code: str) -> None:
    assert is_valid_credit_code(code)
    assert credit_code_check_character(code[:17]) == code[17]


@pytest.mark.parametrize("code", PUBLISHED_CODES)
def test_it_rejects_every_other_check_character(code: str) -> None:
    for wrong in "0123456789ABCDEFGHJKLMNPQRTUWXY":
        if wrong != code[17]:
            assert not is_valid_credit_code(code[:17] + wrong)


@pytest.mark.parametrize("code", PUBLISHED_CODES)
def test_it_catches_every_swap_of_two_neighbouring_characters(code: str) -> None:
    # Weights 3^i mod 31 differ between neighbours and 31 is prime, so no swap goes unnoticed.
    for i in range(16):
        if code[i] != code[i + 1]:
            swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
            assert not is_valid_credit_code(swapped), swapped


def test_it_maps_a_remainder_of_zero_to_check_character_zero() -> None:
    # Search a body whose weighted sum is a multiple of 31: 31 - 0 = 31 must be written "0".
    body = "9111000010111234"
    for last in "0123456789ABCDEFGHJKLMNPQRTUWXY":
        if credit_code_check_character(body + last) == "0":
            assert is_valid_credit_code(body + last + "0")
            return
    pytest.fail("no body found with check character 0")


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91350100M000100Y4", "18 characters"),
        ("91350100M000100Y43X", "18 characters"),
        ("91350100M0001O0Y43", "'O' at position 14"),
        ("9135A100M000100Y43", "administrative division"),
        ("91350100m000100Y43", "'m' at position 9"),
        ("91350100M000100Y44", "GB 32100 requires '3'"),
    ],
)
def test_it_says_what_is_wrong(code: str, reason: str) -> None:
    problem = credit_code_problem(code)
    assert problem is not None
    assert reason in problem
    with pytest.raises(CreditCodeError, match="invalid unified social credit code"):
        validate_credit_code(code)


def test_it_computes_the_embedded_organisation_code_check() -> None:
    # Huawei's organisation code 19220382-1 (characters 9-17 of its credit code).
    assert organization_code_check_character("19220382") == "1"
    # Tencent's 71526726-X: a remainder of 10 is written X.
    assert organization_code_check_character("71526726") == "X"


BODIES = st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=17, max_size=17).map(
    lambda body: body[:2] + "".join(c if c.isdigit() else "1" for c in body[2:8]) + body[8:]
)


@given(BODIES, st.integers(0, 16), st.sampled_from(CREDIT_CODE_ALPHABET))
def test_any_single_character_change_breaks_the_check(body: str, at: int, new: str) -> None:
    code = body + credit_code_check_character(body)
    assert is_valid_credit_code(code)
    changed = code[:at] + new + code[at + 1 :]
    # Weights 3^i mod 31 are never 0 and 31 is prime: every substitution changes the sum.
    assert is_valid_credit_code(changed) is (changed == code)
