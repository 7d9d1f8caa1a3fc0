#!/usr/bin/env python3
"""Drives Warden's OAuth 2.0 endpoints (SPEC §13) with the OAuth libraries services use.

Reads one JSON object on stdin:
  {"library": "authlib" | "requests-oauthlib", "base": "http://127.0.0.1:PORT",
   "client_id": "...", "client_secret": "...", "auth_method": "client_secret_basic" |
   "client_secret_post", "audience": "..." or null, "scope": "a b" or null}

Fetches a token with the client credentials grant, verifies it with PyJWT against the
JWKS named by the authorization server's metadata (typ at+jwt checked here: PyJWT does
not), introspects it (requests-oauthlib's session, with the client's own credentials:
the client holds warden introspect), revokes it, and introspects it again. Prints one
JSON object with what each step saw; the Swift test asserts on it.
Exit 77 when a library is missing.
"""
import json
import os
import sys

try:
    import jwt
    import requests
    from authlib.integrations.requests_client import OAuth2Session as AuthlibSession
    from oauthlib.oauth2 import BackendApplicationClient
    from requests_oauthlib import OAuth2Session as OAuthlibSession
except ImportError as error:
    print(f"missing library ({error}): pip install authlib requests-oauthlib 'pyjwt[crypto]'", file=sys.stderr)
    sys.exit(77)

# oauthlib refuses plain http unless told; the test server is on loopback.
os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"


def verify(token, jwks, issuer, audience):
    header = jwt.get_unverified_header(token)
    if header.get("typ") != "at+jwt":
        raise ValueError(f"typ is {header.get('typ')!r}, not at+jwt (RFC 9068 §4)")
    matching = [key for key in jwks["keys"] if key.get("kid") == header.get("kid")]
    if len(matching) != 1:
        raise ValueError(f"no published key with kid {header.get('kid')!r}")
    claims = jwt.decode(
        token,
        jwt.PyJWK(matching[0]),
        algorithms=[matching[0]["alg"]],
        audience=audience,
        issuer=issuer,
        options={"require": ["iss", "sub", "aud", "exp", "iat", "jti", "client_id", "scope"]},
    )
    return header, claims


def fetch_with_authlib(request, token_url):
    session = AuthlibSession(
        request["client_id"],
        request["client_secret"],
        token_endpoint_auth_method=request["auth_method"],
        scope=request.get("scope"),
    )
    extra = {"audience": request["audience"]} if request.get("audience") else {}
    token = session.fetch_token(token_url, grant_type="client_credentials", **extra)
    return session, dict(token)


def fetch_with_oauthlib(request, token_url):
    scope = request["scope"].split(" ") if request.get("scope") else None
    # The client sends the scope; the session checks the reply's against it.
    client = BackendApplicationClient(client_id=request["client_id"], scope=scope)
    session = OAuthlibSession(client=client, scope=scope)
    extra = {"audience": request["audience"]} if request.get("audience") else {}
    if request["auth_method"] == "client_secret_post":
        token = session.fetch_token(
            token_url, client_id=request["client_id"], client_secret=request["client_secret"],
            include_client_id=True, auth=False, **extra)
    else:
        token = session.fetch_token(
            token_url, client_id=request["client_id"], client_secret=request["client_secret"], **extra)
    return session, dict(token)


def main() -> int:
    request = json.load(sys.stdin)
    base = request["base"]
    metadata = requests.get(base + "/.well-known/oauth-authorization-server", timeout=10).json()
    jwks = requests.get(metadata["jwks_uri"], timeout=10).json()
    audience = request.get("audience") or "warden"
    basic = (request["client_id"], request["client_secret"])
    result = {"metadata": metadata}

    if request["library"] == "authlib":
        session, token = fetch_with_authlib(request, metadata["token_endpoint"])
    else:
        session, token = fetch_with_oauthlib(request, metadata["token_endpoint"])
    result["token"] = token
    header, claims = verify(token["access_token"], jwks, metadata["issuer"], audience)
    result["header"] = header
    result["claims"] = claims

    def introspect():
        reply = requests.post(metadata["introspection_endpoint"], data={"token": token["access_token"]}, auth=basic, timeout=10)
        return reply.status_code, reply.json()

    result["introspection"] = introspect()

    if request["library"] == "authlib":
        reply = session.revoke_token(metadata["revocation_endpoint"], token=token["access_token"], token_type_hint="access_token")
    else:
        # requests-oauthlib has no revocation call: the RFC 7009 request by hand, Basic auth.
        reply = session.post(metadata["revocation_endpoint"],
                             data={"token": token["access_token"], "token_type_hint": "access_token"}, auth=basic, timeout=10)
    result["revocation_status"] = reply.status_code
    result["introspection_after_revocation"] = introspect()
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
