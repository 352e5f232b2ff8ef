"""The currencies pay can be in: ISO 4217's active codes for circulating currencies.

Python's standard library has no list, and the libraries that carry one (Babel, pycountry)
bring locale data many times the size of the rest of the app for this one lookup, so the
list is kept here. Left out on purpose: fund and accounting codes (BOV, CHE, CHW, CLF,
COU, MXV, USN, UYI, UYW, XSU, XUA), precious metals (XAU, XAG, XPD, XPT), the SDR (XDR),
the testing and "no currency" codes (XTS, XXX) and the bond-market units (XBA–XBD).

Source: ISO 4217 list one (SIX Financial Information, the maintenance agency), as amended
up to 2025 (XCG replaced ANG on 31 March 2025; ZWG replaced ZWL in 2024; SLE replaced SLL;
HRK gave way to EUR in 2023). When the agency amends the list, amend this set and its test.
"""

from __future__ import annotations

_LIST_ONE = """
    AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP
    BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP
    GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES
    KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU
    MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON
    RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND
    TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR
    ZMW ZWG
"""
CURRENCY_CODES = frozenset(_LIST_ONE.split())
