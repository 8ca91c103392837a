"""The HTML pages the service answers instead of JSON: the login page and a maintenance page."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse

__all__ = [
    "LOGIN_PAGE_HTML",
    "MAINTENANCE_PAGE_HTML",
    "SESSION_TIMEOUT_LOCATION",
    "SESSION_TIMEOUT_REDIRECT_HTML",
    "login_page",
]

SESSION_TIMEOUT_LOCATION = "/login?state=session_timeout"

# The body of the session-timeout 302: the page Express writes for a redirect. Never empty:
# the published Ruby client re-logs in only when parsing the body as JSON raises, and an
# empty body parses (as nil) and crashed it instead (spec, `SessionTimeout`).
SESSION_TIMEOUT_REDIRECT_HTML = (
    f'<p>Found. Redirecting to <a href="{SESSION_TIMEOUT_LOCATION}">'
    f"{SESSION_TIMEOUT_LOCATION}</a></p>"
)

# The production page's title has two spaces; clients that sniff it rely on the exact text.
LOGIN_PAGE_HTML = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>GPUEater:  Login</title></head>
<body>
<h1>GPUEater</h1>
<p>Your session has ended. Please log in again.</p>
<form method="post" action="/api_login">
<label>Email <input name="email" type="email"></label>
<label>Password <input name="password" type="password"></label>
<button type="submit">Login</button>
</form>
</body>
</html>
"""

# What a proxy in front of the service shows when the application is down: HTML, status 200.
MAINTENANCE_PAGE_HTML = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>GPUEater: Maintenance</title></head>
<body><h1>GPUEater</h1><p>We are under maintenance. Please come back later.</p></body>
</html>
"""


async def login_page(request: Request) -> HTMLResponse:
    return HTMLResponse(LOGIN_PAGE_HTML)
