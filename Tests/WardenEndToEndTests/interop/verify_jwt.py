#!/usr/bin/env python3
"""Verifies a Warden token with PyJWT, an independent JWT library (SPEC §2.4:
"Any standard JWT library given the JWKS must verify them").

Reads one JSON object on stdin: {"jwks": <JWK Set>, "token": "...",
"audience": "...", "issuer": "..."}. Looks the key up by the token's kid, as an
offline validator would, and lets PyJWT check signature, exp, nbf, iat, aud, iss.

Exit 0 and the claims as JSON on stdout when the token verifies; 1 and the reason
on stderr when it does not; 77 when PyJWT (with its crypto extra) is missing.
"""
import json
import sys

try:
    import jwt
    import cryptography  # noqa: F401  (pyjwt[crypto]: EdDSA and ES256 need it)
except ImportError as error:
    print(f"PyJWT is not installed ({error}): pip install 'pyjwt[crypto]'", file=sys.stderr)
    sys.exit(77)


def main() -> int:
    request = json.load(sys.stdin)
    token = request["token"]
    try:
        header = jwt.get_unverified_header(token)
        matching = [key for key in request["jwks"]["keys"] if key.get("kid") == header.get("kid")]
        if len(matching) != 1:
            print(f"no published key with kid {header.get('kid')!r}", file=sys.stderr)
            return 1
        key = jwt.PyJWK(matching[0])
        claims = jwt.decode(
            token,
            key,
            # The key decides the algorithm, never the token's header.
            algorithms=[matching[0]["alg"]],
            audience=request["audience"],
            issuer=request["issuer"],
            options={"require": ["exp", "iat", "nbf", "iss", "sub", "aud", "jti"]},
        )
    except jwt.PyJWTError as error:
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return 1
    json.dump(claims, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
