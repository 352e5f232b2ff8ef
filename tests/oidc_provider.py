"""A small OpenID provider on 127.0.0.1 for the single sign-on tests (loopback only).

authlib's authorization-code grant with its OpenID Connect and PKCE extensions, served by
http.server on a free port in a thread: a discovery document, /authorize (the person signed
in at the provider is `provider.signed_in`, who consents at once), /token (client secret in
the body or Basic), /jwks (the RS256 public key), /userinfo (Bearer). Tests play a browser
with `provider.authorize(url)`, which answers the redirect back to Closeloop's callback.

Knobs for refusal tests: `id_token_claims` overrides claims of the next id_tokens (a wrong
nonce, audience, issuer, an expired token); `userinfo_claims` overrides the userinfo answer.

Imported by name (pytest puts tests/ on the path).
"""

from __future__ import annotations

import json
import os
import secrets
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from authlib.oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, OAuth2Payload, OAuth2Request, grants
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from django.urls import reverse
from joserfc.jwk import KeySet, RSAKey

# authlib refuses plain-HTTP endpoints unless told this is a test on loopback.
os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")

CLIENT_ID = "closeloop-test"
CLIENT_SECRET = "s3cret-for-tests-only"
REDIRECT_URI = "http://testserver/accounts/sso/callback/"


@dataclass
class Client(ClientMixin):
    client_id: str
    client_secret: str
    redirect_uris: list[str]

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope: str) -> str:
        allowed = {"openid", "email", "profile"}
        return " ".join(s for s in scope.split() if s in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in ("client_secret_post", "client_secret_basic")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class Code:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: dict[str, Any]
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> str | None:
        return None

    def get_amr(self) -> list[str] | None:
        return None


class Payload(OAuth2Payload):
    def __init__(self, values: dict[str, list[str]]) -> None:
        self._values = values

    @property
    def data(self) -> dict[str, str]:
        return {key: values[0] for key, values in self._values.items()}

    @property
    def datalist(self) -> defaultdict[str, list]:
        return defaultdict(list, self._values)


class Request(OAuth2Request):
    def __init__(self, method: str, uri: str, headers: dict[str, str], body: bytes) -> None:
        super().__init__(method=method, uri=uri, headers=headers)
        self._args = parse_qs(urlsplit(uri).query)
        self._form = parse_qs(body.decode()) if body else {}
        self.payload = Payload({**self._args, **self._form})

    @property
    def args(self) -> dict[str, str]:
        return {key: values[0] for key, values in self._args.items()}

    @property
    def form(self) -> dict[str, str]:
        return {key: values[0] for key, values in self._form.items()}


class Provider:
    """The provider: its people, clients, codes and tokens, in memory."""

    def __init__(self, redirect_uri: str = REDIRECT_URI) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig"})
        self.client = Client(CLIENT_ID, CLIENT_SECRET, [redirect_uri])
        self.people: dict[str, dict[str, Any]] = {}
        self.signed_in: str | None = None  # the email of the person signed in at the provider
        self.codes: dict[str, Code] = {}
        self.tokens: dict[str, dict[str, Any]] = {}
        self.id_token_claims: dict[str, Any] = {}
        self.userinfo_claims: dict[str, Any] = {}
        self.requests: list[str] = []  # "GET /authorize", … in order
        self.server = self._server()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        # serve_forever looks for a shutdown request every poll_interval: at its default of
        # 0.5 s, stopping the provider after each test cost half a second of waiting.
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    # People ------------------------------------------------------------------------------
    def person(self, email: str, name: str = "", verified: bool = True, **claims: Any) -> str:
        """Add someone with an account at the provider; returns their subject id."""
        sub = f"sub-{len(self.people) + 1}"
        self.people[email] = {
            "sub": sub,
            "email": email,
            "email_verified": verified,
            "name": name,
            **claims,
        }
        return sub

    # The browser -------------------------------------------------------------------------
    def authorize(self, url: str) -> str:
        """Follow Closeloop's redirect to /authorize as the browser; returns where the
        provider sends the browser next (Closeloop's callback with a code, or an error)."""
        assert url.startswith(self.issuer + "/authorize?"), url
        response = requests.get(url, allow_redirects=False, timeout=5)
        assert response.status_code in (302, 303), (response.status_code, response.text)
        return response.headers["Location"]

    # Lifecycle ---------------------------------------------------------------------------
    def start(self) -> Provider:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
        }

    # authlib -----------------------------------------------------------------------------
    def _server(self) -> AuthorizationServer:
        provider = self

        class Server(AuthorizationServer):
            def query_client(self, client_id: str) -> Client | None:
                return provider.client if client_id == provider.client.client_id else None

            def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
                provider.tokens[token["access_token"]] = request.user

            def create_oauth2_request(self, request: Any) -> OAuth2Request:
                return request

            def handle_response(self, status: int, body: Any, headers: Any) -> Any:
                return status, body, headers

            def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
                return None

        class CodeGrant(grants.AuthorizationCodeGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

            def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
                data = request.payload.data
                provider.codes[code] = Code(
                    code=code,
                    client_id=request.client.get_client_id(),
                    redirect_uri=request.payload.redirect_uri,
                    scope=request.payload.scope,
                    user=request.user,
                    nonce=data.get("nonce"),
                    code_challenge=data.get("code_challenge"),
                    code_challenge_method=data.get("code_challenge_method"),
                )

            def query_authorization_code(self, code: str, client: Client) -> Code | None:
                found = provider.codes.get(code)
                return found if found and found.client_id == client.get_client_id() else None

            def delete_authorization_code(self, authorization_code: Code) -> None:
                provider.codes.pop(authorization_code.code, None)  # a code works once

            def authenticate_user(self, authorization_code: Code) -> dict[str, Any]:
                return authorization_code.user

        class IdToken(OpenIDCode):
            def exists_nonce(self, nonce: str, request: OAuth2Request) -> bool:
                return any(code.nonce == nonce for code in provider.codes.values())

            def resolve_client_private_key(self, client: Client) -> RSAKey:
                return provider.key

            def get_client_algorithm(self, client: Client) -> str:
                return "RS256"

            def get_encode_header(self, client: Client) -> dict[str, str]:
                return {"alg": "RS256", "kid": "test-key"}

            def get_client_claims(self, client: Client) -> dict[str, Any]:
                return {"iss": provider.issuer, "aud": [client.get_client_id()]}

            def generate_user_info(self, user: dict[str, Any], scope: str) -> UserInfo:
                info = UserInfo(sub=user["sub"])
                if "email" in scope:
                    info["email"] = user["email"]
                    info["email_verified"] = user["email_verified"]
                if "profile" in scope and user.get("name"):
                    info["name"] = user["name"]
                info.update(provider.id_token_claims)  # a test's tampering, applied last
                return info

        server = Server()
        server.register_token_generator(
            "default", BearerTokenGenerator(lambda **_: secrets.token_urlsafe(32))
        )
        server.register_grant(CodeGrant, [IdToken(require_nonce=True), CodeChallenge()])
        return server

    def _userinfo(self, headers: dict[str, str]) -> tuple[int, Any]:
        token = headers.get("Authorization", "").removeprefix("Bearer ").strip()
        user = self.tokens.get(token)
        if user is None:
            return 401, {"error": "invalid_token"}
        info = {
            "sub": user["sub"],
            "email": user["email"],
            "email_verified": user["email_verified"],
        }
        if user.get("name"):
            info["name"] = user["name"]
        return 200, {**info, **self.userinfo_claims}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return None

            def _send(self, status: int, body: Any, headers: Any = ()) -> None:
                text = body if isinstance(body, str) else json.dumps(body)
                self.send_response(status)
                sent = {name.lower() for name, _ in headers}
                for name, value in headers:
                    self.send_header(name, value)
                if "content-type" not in sent:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(text.encode())))
                self.end_headers()
                self.wfile.write(text.encode())

            def _request(self) -> Request:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                return Request(self.command, provider.issuer + self.path, dict(self.headers), body)

            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                provider.requests.append(f"GET {path}")
                if path == "/.well-known/openid-configuration":
                    self._send(200, provider.discovery())
                elif path == "/jwks":
                    keys = KeySet([provider.key]).as_dict(private=False)
                    self._send(200, keys)
                elif path == "/authorize":
                    request = self._request()
                    user = provider.people.get(provider.signed_in or "")
                    request.user = user
                    grant = provider.server.get_authorization_grant(request)
                    self._send(*provider.server.create_authorization_response(request, user, grant))
                elif path == "/userinfo":
                    self._send(*provider._userinfo(dict(self.headers)))
                else:
                    self._send(404, {"error": "not_found"})

            def do_POST(self) -> None:
                path = urlsplit(self.path).path
                provider.requests.append(f"POST {path}")
                if path == "/token":
                    self._send(*provider.server.create_token_response(self._request()))
                else:
                    self._send(404, {"error": "not_found"})

        return Handler


def local(url: str) -> str:
    """The path and query of an address on the test server."""
    parts = urlsplit(url)
    assert parts.netloc in ("", "testserver"), url
    return parts.path + (f"?{parts.query}" if parts.query else "")


def sso_sign_in(client, provider: Provider, email: str | None, next_url: str | None = None):
    """The browser's round trip: Closeloop → the provider's /authorize → Closeloop's
    callback. Returns the callback's response (not followed)."""
    provider.signed_in = email
    query = {"next": next_url} if next_url else {}
    start = client.get(reverse("accounts:sso-start"), query)
    assert start.status_code == 302, start
    back = provider.authorize(start["Location"])
    return client.get(local(back))


def totp_now(device) -> str:
    """The code a person's authenticator app shows at this moment (RFC 6238 arithmetic)."""
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
