"""A currency is one of ISO 4217's, in whatever case it was typed; three letters are not
enough ("XYZ" names no currency), and pay is never in gold or a fund code."""

from __future__ import annotations

import pytest

from closeloop.lib.text import is_currency_code


@pytest.mark.parametrize("code", ["GBP", "EUR", "USD", "CHF", "JPY", "gbp", "Eur", "XOF", "ZWG"])
def test_iso_codes_are_currencies(code):
    assert is_currency_code(code)


@pytest.mark.parametrize("code", ["XYZ", "ABC", "EU", "EURO", "E1R", "XAU", "XXX", "XTS", ""])
def test_other_codes_are_not(code):
    assert not is_currency_code(code)
