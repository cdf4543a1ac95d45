"""HTTP Digest authentication (RFC 7616), the answer to one challenge.

Virtuoso's authenticated endpoints (`/sparql-auth`, `/sparql-graph-crud-auth`) accept
only Digest: the password never travels, only a hash bound to the server's nonce, the
method and the path. The answer is computed here from the challenge and attached by
the one place that sends requests (`RemoteBackend._open`), which fetches a fresh
challenge with a bodyless HEAD first, so a request and its body go out once.
"""

from __future__ import annotations

import hashlib
import secrets
import urllib.parse
import urllib.request

HASHES = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256}


def parse_challenge(header: str) -> dict[str, str] | None:
    """The parameters of a `WWW-Authenticate: Digest ...` header, or None when the
    server asks for something else."""
    scheme, _, rest = header.strip().partition(" ")
    if scheme.lower() != "digest":
        return None
    parts = urllib.request.parse_http_list(rest)
    return urllib.request.parse_keqv_list([p for p in parts if "=" in p])


def authorization(
    method: str,
    url: str,
    user: str,
    password: str,
    challenge: dict[str, str],
    cnonce: str | None = None,
) -> str:
    """The `Authorization` header answering `challenge` for one request."""
    algorithm = challenge.get("algorithm", "MD5").upper()
    if algorithm not in HASHES or "realm" not in challenge or "nonce" not in challenge:
        raise ValueError(f"unsupported Digest challenge (algorithm {algorithm})")

    def h(text: str) -> str:
        return HASHES[algorithm](text.encode("utf-8")).hexdigest()

    parts = urllib.parse.urlsplit(url)
    uri = parts.path or "/"
    if parts.query:
        uri += "?" + parts.query
    realm, nonce = challenge["realm"], challenge["nonce"]
    ha1 = h(f"{user}:{realm}:{password}")
    ha2 = h(f"{method}:{uri}")
    fields = {
        "username": user,
        "realm": realm,
        "nonce": nonce,
        "uri": uri,
        "algorithm": algorithm,
    }
    offered = [q.strip() for q in challenge.get("qop", "").split(",")]
    if "auth" in offered:
        cnonce = cnonce or secrets.token_hex(8)
        nc = "00000001"  # a fresh nonce for every request
        fields["response"] = h(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")
        fields.update(qop="auth", nc=nc, cnonce=cnonce)
    else:
        fields["response"] = h(f"{ha1}:{nonce}:{ha2}")
    if "opaque" in challenge:
        fields["opaque"] = challenge["opaque"]
    unquoted = {"algorithm", "qop", "nc"}
    return "Digest " + ", ".join(
        f"{k}={v}" if k in unquoted else f'{k}="{v}"' for k, v in fields.items()
    )
