"""Where the SDK's URL and credentials come from, and how `~/.eater` is written.

Precedence, highest first: explicit arguments > environment variables > the config file.
Credentials resolve as a pair from the first source that has one (`email` + `password`, or
`access_token` + `secret_token`); a source with half a pair is an error rather than being
silently completed from a lower source. The URL resolves on its own: argument >
`GPUEATER_URL` > the profile's `url` > https://www.gpueater.com; the `url` of a `./.eater`
is only used with that file's own credentials, never with credentials from elsewhere.

The config file is `GPUEATER_CONFIG` when set, else `./.eater` when it exists, else
`~/.eater`: the first one found is the file (they are not merged). A profile is a top-level
key of that JSON object; `gpueater` is the default, `GPUEATER_PROFILE` or the `profile`
argument pick another. Nothing is read at import time, reading never writes, and a file
readable by group or others draws an InsecureConfigWarning.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import json
import os
import stat
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from gpueater_ext._config_read import read_config_file
from gpueater_ext._errors import ConfigError

__all__ = [
    "DEFAULT_PROFILE",
    "DEFAULT_URL",
    "Config",
    "Credentials",
    "InsecureConfigWarning",
    "config_file_path",
    "load_config",
    "save_config",
]

DEFAULT_URL = "https://www.gpueater.com"
DEFAULT_PROFILE = "gpueater"
_PAIRS = (("email", "password"), ("access_token", "secret_token"))
_ENV = {
    "email": "GPUEATER_EMAIL",
    "password": "GPUEATER_PASSWORD",
    "access_token": "GPUEATER_ACCESS_TOKEN",
    "secret_token": "GPUEATER_SECRET_TOKEN",
}
_HOW_TO_CONFIGURE = (
    "run `gpueater configure`, set GPUEATER_EMAIL and GPUEATER_PASSWORD (or "
    "GPUEATER_ACCESS_TOKEN and GPUEATER_SECRET_TOKEN), or write ~/.eater as "
    '{"gpueater": {"email": "...", "password": "..."}}'
)


class InsecureConfigWarning(UserWarning):
    """A credentials file can be read by other users, or credentials would travel in the
    clear (an http:// service URL that is not on this machine)."""


@dataclasses.dataclass(frozen=True)
class Credentials:
    """One login pair. Secrets never show in the repr."""

    email: str | None = None
    password: str | None = dataclasses.field(default=None, repr=False)
    access_token: str | None = dataclasses.field(default=None, repr=False)
    secret_token: str | None = dataclasses.field(default=None, repr=False)

    @property
    def kind(self) -> str:
        """`"password"` or `"token"`."""
        return "password" if self.email is not None else "token"

    def login_form(self) -> dict[str, str]:
        """The fields `api_login` takes for this pair."""
        pair = _PAIRS[0] if self.kind == "password" else _PAIRS[1]
        return {name: str(getattr(self, name)) for name in pair}

    def secrets(self) -> list[str]:
        """The secret values, for log redaction."""
        values = (self.password, self.access_token, self.secret_token)
        return [value for value in values if value]


@dataclasses.dataclass(frozen=True)
class Config:
    """Resolved settings: the service URL, the credentials and where they came from."""

    url: str
    credentials: Credentials
    profile: str = DEFAULT_PROFILE
    source: str = "arguments"


def config_file_path(
    environ: Mapping[str, str] | None = None, cwd: Path | None = None, home: Path | None = None
) -> Path:
    """The config file this process would read (it may not exist)."""
    environ = os.environ if environ is None else environ
    if environ.get("GPUEATER_CONFIG"):
        return Path(environ["GPUEATER_CONFIG"]).expanduser()
    local = (cwd or Path.cwd()) / ".eater"
    return local if local.exists() else (home or Path.home()) / ".eater"


def load_config(
    *,
    url: str | None = None,
    email: str | None = None,
    password: str | None = None,
    access_token: str | None = None,
    secret_token: str | None = None,
    profile: str | None = None,
    config_file: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Config:
    """Resolve the URL and credentials (see the module docstring for the precedence)."""
    environ = os.environ if environ is None else environ
    chosen_profile = profile or environ.get("GPUEATER_PROFILE") or DEFAULT_PROFILE
    given = {
        "email": email,
        "password": password,
        "access_token": access_token,
        "secret_token": secret_token,
    }
    credentials = _pair(given, "arguments", lambda name: f"the {name} argument")
    source = "arguments"
    if credentials is None:
        from_env = {name: environ.get(variable) for name, variable in _ENV.items()}
        credentials = _pair(from_env, "the environment", lambda name: _ENV[name])
        source = "environment"
    url = url or environ.get("GPUEATER_URL")
    if credentials is None or url is None:
        path = Path(config_file) if config_file else config_file_path(environ)
        section = _read_profile(path, chosen_profile, required=credentials is None)
        if credentials is None:
            credentials = _pair(section, str(path), lambda name: f"key {name!r}")
            source = str(path)
            if credentials is None:
                raise ConfigError(
                    f"{path}: profile {chosen_profile!r} has no email and password nor "
                    f"access_token and secret_token; {_HOW_TO_CONFIGURE}"
                )
        in_working_directory = not (config_file or environ.get("GPUEATER_CONFIG")) and (
            path.parent.resolve() != Path.home().resolve()
        )
        if source != str(path) and in_working_directory:
            # ./.eater may have come with a cloned repository: a url there would receive
            # the password from the environment. Only that file's own credentials go to it.
            section = {}
        url = url or section.get("url")
    return Config(
        url=_checked_url(url or DEFAULT_URL),
        credentials=credentials,
        profile=chosen_profile,
        source=source,
    )


def _checked_url(url: str) -> str:
    parts = urlsplit(url)
    # The authority, or for `user:pw@host` without a scheme, what stands before a path.
    if "@" in (parts.netloc or url.split("/", 1)[0]):
        # A password in the URL would end up in logs, shell history and `ps`; and a
        # user name there is never how this service authenticates.
        raise ConfigError(
            "the service URL carries a user name or password (user:password@host); remove "
            "it and put the credentials in the config file (`gpueater configure`) or the "
            "environment (GPUEATER_EMAIL/GPUEATER_PASSWORD) instead"
        )
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ConfigError(
            f"the service URL {url!r} is not an http:// or https:// URL "
            "(check the url argument, GPUEATER_URL or the profile's url)"
        )
    if parts.scheme == "http" and not _is_loopback(parts.hostname or ""):
        # Allowed (a lab proxy may need it), but the password and session cookie would
        # cross the network unencrypted: say so rather than stay silent.
        warnings.warn(
            f"the service URL {url} is plain http to another machine: the password and the "
            "session cookie travel unencrypted; use https://",
            InsecureConfigWarning,
            stacklevel=4,
        )
    return url.rstrip("/")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _pair(values: Mapping[str, Any], where: str, describe: Any) -> Credentials | None:
    for first, second in _PAIRS:
        has_first, has_second = bool(values.get(first)), bool(values.get(second))
        if has_first != has_second:
            present, absent = (first, second) if has_first else (second, first)
            raise ConfigError(
                f"{where}: {describe(present)} is set but {describe(absent)} is not; "
                "set both or neither"
            )
        if has_first:
            for name in (first, second):
                if not isinstance(values[name], str):
                    raise ConfigError(f"{where}: {describe(name)} must be a string")
            return Credentials(**{first: values[first], second: values[second]})
    return None


def _read_profile(path: Path, profile: str, *, required: bool) -> Mapping[str, Any]:
    try:
        content, mode = read_config_file(path)  # refuses FIFOs, devices, huge files unread
        # utf-8-sig: Notepad and some editors start a UTF-8 file with a byte order mark.
        text = content.decode("utf-8-sig")
    except FileNotFoundError:
        if required:
            raise ConfigError(
                f"no credentials found ({path} does not exist); {_HOW_TO_CONFIGURE}"
            ) from None
        return {}
    except UnicodeDecodeError:
        raise ConfigError(
            f"{path}: is not UTF-8 text; fix the file or run `gpueater configure`"
        ) from None
    _warn_if_readable_by_others(path, mode)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ConfigError(
            f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg}); "
            "fix the file or run `gpueater configure`"
        ) from None
    except RecursionError:
        raise ConfigError(f"{path}: nested too deeply to be a config file") from None
    if not isinstance(document, dict):
        raise ConfigError(f"{path}: expected a JSON object with a {profile!r} key")
    section = document.get(profile)
    if section is None:
        if required or profile != DEFAULT_PROFILE:
            known = ", ".join(map(repr, document)) or "none"
            raise ConfigError(
                f"{path}: has no profile {profile!r} (profiles in the file: {known}); "
                f"add it or pick another with GPUEATER_PROFILE"
            )
        return {}
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: profile {profile!r} must be a JSON object")
    return section


def _warn_if_readable_by_others(path: Path, mode: int) -> None:
    if os.name != "posix":
        return
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        warnings.warn(
            f"{path} holds credentials and is readable by other users "
            f"(mode {stat.S_IMODE(mode):04o}); run: chmod 600 {path}",
            InsecureConfigWarning,
            stacklevel=4,
        )


def save_config(
    values: Mapping[str, str],
    *,
    profile: str = DEFAULT_PROFILE,
    path: str | os.PathLike[str] | None = None,
) -> Path:
    """Write `values` as `profile` of the config file (default `~/.eater`); return its path.

    Other profiles in the file are kept, also when other processes save theirs at the same
    moment: the file is read, changed and replaced under a lock (`_local_files`), through
    a private temporary file (mode 0600 from its creation), so a kill at any instant leaves
    the old file or the new one. A symlink is refused rather than followed or replaced, and
    an existing file that is not valid JSON is left untouched (ConfigError).
    """
    from gpueater_ext._local_files import locked, write_locked  # only writers need it

    target = Path(path).expanduser() if path is not None else Path.home() / ".eater"
    target.parent.mkdir(parents=True, exist_ok=True)
    with locked(target) as real:
        if real.is_symlink():
            raise ConfigError(
                f"{target} is a symbolic link; refusing to write credentials through it "
                "(write to the link's target with path=..., or remove the link)"
            )
        document: dict[str, Any] = {}
        try:
            # The read path's checks: a FIFO or device there must not hang or exhaust this.
            content, _ = read_config_file(real)
        except FileNotFoundError:
            content = None
        if content is not None:
            try:
                document = json.loads(content.decode("utf-8-sig"))
            except (ValueError, RecursionError) as error:  # bad JSON, not UTF-8, too deep
                raise ConfigError(
                    f"{target}: exists but is not readable JSON ({error}); it was left untouched"
                ) from None
            if not isinstance(document, dict):
                raise ConfigError(f"{target}: is not a JSON object; it was left untouched")
        document[profile] = dict(values)
        write_locked(real, (json.dumps(document, indent=2) + "\n").encode())
    return target
