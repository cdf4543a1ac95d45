"""HTTP Digest answers: the RFC's worked example, and challenges it cannot answer."""

from __future__ import annotations

import pytest

from ctgraph.store.digest import authorization, parse_challenge
from ctgraph.store.remote import (
    ENV_AUTH,
    ENV_PASSWORD,
    ENV_TOKEN,
    ENV_USER,
    Credentials,
    EndpointError,
)

#: RFC 2617, section 3.5
RFC_CHALLENGE = (
    'Digest realm="testrealm@host.com", qop="auth,auth-int", '
    'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", '
    'opaque="5ccc069c403ebaf9f0171e9517f40e41"'
)


def test_the_rfc_example_gets_the_rfc_response() -> None:
    challenge = parse_challenge(RFC_CHALLENGE)
    assert challenge is not None
    header = authorization(
        "GET",
        "http://www.nowhere.org/dir/index.html",
        "Mufasa",
        "Circle Of Life",
        challenge,
        cnonce="0a4f113b",
    )
    assert 'response="6629fae49393a05397450978507c4ef1"' in header
    assert 'uri="/dir/index.html"' in header and "Circle Of Life" not in header


def test_the_query_string_is_part_of_the_digested_uri() -> None:
    challenge = {"realm": "SPARQL", "nonce": "n", "qop": "auth"}
    header = authorization("PUT", "http://h/crud?graph=urn%3Ag", "u", "p", challenge)
    assert 'uri="/crud?graph=urn%3Ag"' in header


def test_other_challenges_are_not_answered() -> None:
    assert parse_challenge('Basic realm="x"') is None
    with pytest.raises(ValueError, match="SHA-512"):
        authorization(
            "GET",
            "http://h/",
            "u",
            "p",
            {"realm": "r", "nonce": "n", "algorithm": "SHA-512"},
        )


def test_digest_is_chosen_by_the_environment_and_keeps_the_password_hidden() -> None:
    env = {ENV_USER: "dba", ENV_PASSWORD: "pa55word", ENV_AUTH: "digest"}
    credentials = Credentials.from_env(env)
    assert credentials.header is None and credentials.digest == ("dba", "pa55word")
    assert "pa55word" not in repr(credentials)
    with pytest.raises(EndpointError, match=f"{ENV_AUTH} must be one of"):
        Credentials.from_env({**env, ENV_AUTH: "ntlm"})
    with pytest.raises(EndpointError, match="not a token"):
        Credentials.from_env({ENV_TOKEN: "t", ENV_AUTH: "digest"})
