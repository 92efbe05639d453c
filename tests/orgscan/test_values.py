"""Ids, datetimes and booleans of Salesforce exports."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analyzer.orgscan.collect import is_api_login, object_name
from analyzer.orgscan.synth import checksum_suffix
from analyzer.orgscan.values import id15, id18, parse_bool, parse_datetime

ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def test_id18_by_hand():
    # "001Aa" upper at 3 -> 8 -> I; "00000" -> 0 -> A; "0000Z" upper at 4 -> 16 -> Q.
    assert id18("001Aa000000000Z") == "001Aa000000000ZIAQ"
    # "ABCDE": all five upper -> 31 -> '5'.
    assert id18("ABCDEabcde12345") == "ABCDEabcde12345" + "5AA"
    assert id18("short") == "short"


@given(st.text(alphabet=ALNUM, min_size=15, max_size=15))
def test_id18_agrees_with_an_independent_implementation(key):
    full = id18(key)
    assert full == key + checksum_suffix(key)
    assert id15(full) == key and id18(full) == full


def test_both_datetime_forms_are_the_same_moment():
    expected = dt.datetime(2006, 4, 15, 3, 23, 15, tzinfo=dt.UTC)
    assert parse_datetime("2006-04-15T03:23:15.000Z") == expected
    assert parse_datetime("2006-04-15T03:23:15.000+0000") == expected
    assert parse_datetime("2006-04-15 03:23:15") == expected
    assert parse_datetime("") is None
    with pytest.raises(ValueError, match="not a date"):
        parse_datetime("15/04/2006")


def test_booleans_in_every_spelling():
    assert [parse_bool(v) for v in ("true", "TRUE", "True", "1", "false", "FALSE", "0")] == [
        True,
        True,
        True,
        True,
        False,
        False,
        False,
    ]
    assert parse_bool(" ") is None
    with pytest.raises(ValueError, match="not a boolean"):
        parse_bool("maybe")


def test_api_logins_are_not_human():
    api = ["Remote Access 2.0", "Other Apex API", "Partner Product", "Remote Access Client"]
    human = ["Application", "SAML Idp Initiated SSO", "Chatter Communities External User"]
    assert [is_api_login(t) for t in api] == [True] * 4
    assert [is_api_login(t) for t in human] == [False] * 3


def test_license_extract_files_are_known_by_their_columns():
    assert object_name("export (3)", ["id", "developername", "totallicenses"]) == (
        "PermissionSetLicense"
    )
    assert object_name("licenses", ["id", "name", "totallicenses", "usedlicenses"]) == (
        "UserLicense"
    )
    assert object_name("users", ["id", "username", "isactive"]) == "User"
    assert object_name("x", ["id", "assigneeid", "permissionsetlicenseid"]) == (
        "PermissionSetLicenseAssign"
    )
    assert object_name("p", ["id", "name", "userlicenseid"]) == "Profile"
