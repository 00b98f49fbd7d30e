"""The unified social credit code (统一社会信用代码) and its check character, GB 32100-2015.

The code has 18 characters: registration authority (1), entity type (1), administrative division
(6, GB/T 2260), organisation code (9, GB 11714 including its own check character) and the check
character (1). Characters come from a 31-symbol alphabet: the digits and the capital letters
without I, O, S, V and Z (GB 32100-2015 §4.2, so that no letter can be read as a digit).
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import mul

import numpy as np

__all__ = [
    "CREDIT_CODE_ALPHABET",
    "CreditCodeError",
    "credit_code_check_character",
    "credit_code_problem",
    "is_valid_credit_code",
    "organization_code_check_character",
    "random_credit_codes",
    "validate_credit_code",
]

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 code characters in order of their values 0 to 30 (GB 32100-2015 §4.2, table 1)."""

_VALUE = {character: value for value, character in enumerate(CREDIT_CODE_ALPHABET)}
_ALPHABET_SET = frozenset(CREDIT_CODE_ALPHABET)
# GB 32100-2015 §4.3: the weight of position i (1-based) is 3^(i-1) mod 31.
_WEIGHTS = tuple(pow(3, position, 31) for position in range(17))
# GB 11714-1997 §4: weights of the eight body characters of the organisation code.
_ORGANIZATION_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORGANIZATION_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class CreditCodeError(ValueError):
    """A unified social credit code that is malformed or fails its check character."""


def credit_code_check_character(body: str) -> str:
    """Return the 18th (check) character for the first 17 characters of a credit code.

    Parameters
    ----------
    body
        The first 17 characters, from the 31-symbol alphabet (upper case).

    Returns
    -------
    str
        The check character: C18 = 31 − (Σ Ci·Wi mod 31), where 31 maps to 0
        (GB 32100-2015 §4.3).
    """
    if len(body) != 17:
        raise CreditCodeError(f"a credit code body has 17 characters, got {len(body)}: {body!r}")
    problem = _alphabet_problem(body)
    if problem is not None:
        raise CreditCodeError(f"{problem} in a credit code")
    return _check_character(body)


def _check_character(body: str) -> str:
    """The check character of 17 characters already checked against the alphabet."""
    total = sum(map(mul, map(_VALUE.__getitem__, body), _WEIGHTS))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def _alphabet_problem(code: str) -> str | None:
    """Name the first character outside the alphabet, or None (the common case, one set test)."""
    if _ALPHABET_SET.issuperset(code):
        return None
    for position, character in enumerate(code, start=1):
        if character not in _VALUE:
            return f"character {character!r} at position {position} is not allowed"
    return None


def organization_code_check_character(body: str) -> str:
    """Return the check character of a GB 11714 organisation code from its first 8 characters.

    The organisation code is characters 9 to 17 of a credit code. C9 = 11 − (Σ Ci·Wi mod 11),
    where 10 is written ``X`` and 11 is written ``0`` (GB 11714-1997 §4).
    """
    if len(body) != 8:
        raise CreditCodeError(f"an organisation code body has 8 characters, got {body!r}")
    total = 0
    for character, weight in zip(body, _ORGANIZATION_WEIGHTS, strict=True):
        value = _ORGANIZATION_ALPHABET.find(character)
        if value < 0:
            raise CreditCodeError(f"character {character!r} is not allowed in an organisation code")
        total += value * weight
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def credit_code_problem(code: str) -> str | None:
    """Say what is wrong with a credit code, or return None when it is valid.

    Only the GB 32100 rules are enforced: length, alphabet, a numeric administrative division
    code and the check character. The embedded GB 11714 check is not enforced, because codes
    converted from older registrations need not carry a valid one.
    """
    if len(code) != 18:
        return f"a credit code has 18 characters, got {len(code)}"
    problem = _alphabet_problem(code)
    if problem is not None:
        return problem
    if not code[2:8].isdigit():
        return f"characters 3-8 must be an administrative division code, got {code[2:8]!r}"
    expected = _check_character(code[:17])  # the alphabet was checked above
    if code[17] != expected:
        return f"check character is {code[17]!r}, GB 32100 requires {expected!r}"
    return None


def is_valid_credit_code(code: str) -> bool:
    """Return True when ``code`` is a well-formed credit code with a correct check character."""
    return credit_code_problem(code) is None


def validate_credit_code(code: str) -> str:
    """Return ``code`` unchanged if valid, else raise :class:`CreditCodeError` saying why."""
    problem = credit_code_problem(code)
    if problem is not None:
        raise CreditCodeError(f"invalid unified social credit code {code!r}: {problem}")
    return code


def random_credit_codes(divisions: Sequence[str], rng: np.random.Generator) -> list[str]:
    """Draw one valid, unique credit code per administrative division code given.

    The codes read ``91<division><organisation code><check>`` (a company registered with the
    market regulator); both check characters are computed for the whole column at once.
    """
    n = len(divisions)
    names, division = np.unique(np.array(divisions, dtype=str), return_inverse=True)
    if any(len(name) != 6 or not name.isdigit() for name in names.tolist()):
        raise CreditCodeError(f"administrative division codes have 6 digits, got {names!r}")
    organization = rng.integers(0, 10**8, n)
    while True:  # redraw organisation codes that repeat within a division
        _, first = np.unique(division * 10**8 + organization, return_index=True)
        repeated = np.ones(n, dtype=np.bool_)
        repeated[first] = False
        if not repeated.any():
            break
        organization[repeated] = rng.integers(0, 10**8, int(repeated.sum()))
    digits = organization[:, None] // 10 ** np.arange(7, -1, -1)[None, :] % 10
    check = 11 - (digits @ np.array(_ORGANIZATION_WEIGHTS)) % 11  # 10 is X, 11 is 0 (§4)
    check_value = np.where(check == 11, 0, np.where(check == 10, _VALUE["X"], check))
    division_digits = np.array([[int(c) for c in name] for name in names.tolist()])[division]
    values = np.concatenate(
        [np.tile([9, 1], (n, 1)), division_digits, digits, check_value[:, None]], axis=1
    )
    last = (31 - (values @ np.array(_WEIGHTS)) % 31) % 31
    alphabet = CREDIT_CODE_ALPHABET
    return [
        f"91{d}{o:08d}{alphabet[c]}{alphabet[x]}"
        for d, o, c, x in zip(
            divisions, organization.tolist(), check_value.tolist(), last.tolist(), strict=True
        )
    ]
