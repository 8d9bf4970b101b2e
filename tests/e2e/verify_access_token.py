#!/usr/bin/python3
"""Independent check of an access token with PyJWT (not our C++ verifier).

usage: verify_access_token.py JWKS_FILE TOKEN_FILE ISSUER AUDIENCE
Verifies the RS256 signature against the key named by the token's kid in
the JWKS, typ "at+jwt", iss, aud and exp; prints the claims as JSON.
Exit 0 when valid, 1 otherwise.
"""
import json
import sys

import jwt
from jwt.algorithms import RSAAlgorithm


def main() -> int:
    jwks_file, token_file, issuer, audience = sys.argv[1:5]
    with open(jwks_file, encoding="utf-8") as f:
        jwks = json.load(f)
    with open(token_file, encoding="utf-8") as f:
        token = f.read().strip()
    header = jwt.get_unverified_header(token)
    if header.get("alg") != "RS256" or header.get("typ") != "at+jwt":
        print(f"unexpected header {header}", file=sys.stderr)
        return 1
    keys = [k for k in jwks["keys"] if k.get("kid") == header.get("kid")]
    if len(keys) != 1:
        print("kid not found exactly once in the JWKS", file=sys.stderr)
        return 1
    key = keys[0]
    if key.get("kty") != "RSA" or key.get("alg") != "RS256" or key.get("use") != "sig":
        print(f"unexpected JWK {key}", file=sys.stderr)
        return 1
    public_key = RSAAlgorithm.from_jwk(json.dumps(key))
    claims = jwt.decode(
        token,
        public_key,
        algorithms=["RS256"],
        audience=audience,
        issuer=issuer,
        options={"require": ["exp", "iat", "iss", "aud", "sub", "jti"]},
    )
    for name in ("client_id", "scope", "role", "username"):
        if name not in claims:
            print(f"claim {name} missing", file=sys.stderr)
            return 1
    print(json.dumps(claims, sort_keys=True))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except jwt.PyJWTError as e:
        print(f"invalid token: {e}", file=sys.stderr)
        sys.exit(1)
