#!/usr/bin/env python3
"""An OAuth 2.0 device-grant client written from Anaplan's documented API
alone (RFC 8628 as Anaplan's OAuth service documents it), with Python's
standard library, sharing no code with the Go toolkit. The sandbox test
runs it against scripts/sandbox: it asks for a device code, prints the
user code and link (one JSON line) for the user, polls at the interval
(slower on slow_down) until someone approves, calls the Integration API
with the Bearer token, refreshes (form-encoded, as oauthlib sends it) and
checks that a rotated-out refresh token is refused.

Usage: independent_oauth_client.py OAUTH_URL AUTH_URL API_URL CLIENT_ID
Prints two JSON lines: the prompt, then what it saw.
"""
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

oauth_url, auth_url, api_url, client_id = sys.argv[1:5]
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


def post(url, fields, form=False):
    if form:
        body, ctype = urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded"
    else:
        body, ctype = json.dumps(fields).encode(), "application/json"
    req = urllib.request.Request(url, method="POST", data=body, headers={"Content-Type": ctype, "Accept": "application/json"})
    try:
        with urllib.request.urlopen(req) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def get(url, authorization):
    req = urllib.request.Request(url, headers={"Authorization": authorization, "Accept": "application/json"})
    try:
        with urllib.request.urlopen(req) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


# 1. POST /oauth/device/code (JSON), the documented scope.
status, code = post(oauth_url + "/oauth/device/code", {"client_id": client_id, "scope": "openid profile email offline_access"})
assert status == 200, (status, code)
for field in ("device_code", "user_code", "verification_uri", "expires_in", "interval"):
    assert field in code, (field, code)
print(json.dumps({"user_code": code["user_code"], "verification_uri": code["verification_uri"],
                  "verification_uri_complete": code.get("verification_uri_complete", "")}), flush=True)

# 2. Poll POST /oauth/token at the interval (RFC 8628 §3.4-3.5).
interval = code["interval"]
deadline = time.monotonic() + code["expires_in"]
answers = []
while True:
    time.sleep(interval)
    status, tok = post(oauth_url + "/oauth/token", {"grant_type": DEVICE_GRANT, "device_code": code["device_code"], "client_id": client_id})
    if status == 200:
        break
    error = tok.get("error")
    answers.append(error)
    if error == "slow_down":
        interval += 5
    elif error != "authorization_pending":
        sys.exit(f"device grant failed: {status} {tok}")
    if time.monotonic() > deadline:
        sys.exit("the device code expired")

# 3. The token answer's documented fields, then the API with Bearer.
fields = sorted(tok)
status, me = get(api_url + "/users/me", "Bearer " + tok["access_token"])
assert status == 200, (status, me)
status_sdk, _ = get(api_url + "/users/me", "AnaplanAuthToken " + tok["access_token"])  # as the SDK sends it
status_validate, _ = get(auth_url + "/token/validate", "Bearer " + tok["access_token"])  # the auth service refuses Bearer

# 4. Refresh (form-encoded); a rotating client gets a new refresh token and
# the old one is refused.
first = tok["refresh_token"]
status, refreshed = post(oauth_url + "/oauth/token", {"grant_type": "refresh_token", "client_id": client_id, "refresh_token": first}, form=True)
assert status == 200, (status, refreshed)
status_me2, _ = get(api_url + "/users/me", "Bearer " + refreshed["access_token"])
status_old, old = post(oauth_url + "/oauth/token", {"grant_type": "refresh_token", "client_id": client_id, "refresh_token": first})

print(json.dumps({
    "pollAnswers": answers,
    "tokenFields": fields,
    "tokenType": tok["token_type"],
    "expiresIn": tok["expires_in"],
    "scope": tok["scope"],
    "email": me["user"]["email"],
    "anaplanAuthTokenStatus": status_sdk,
    "validateBearerStatus": status_validate,
    "rotated": refreshed.get("refresh_token", first) != first,
    "refreshedAPIStatus": status_me2,
    "oldRefreshStatus": status_old,
    "oldRefreshError": old.get("error"),
}))
