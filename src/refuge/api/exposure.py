"""Who can reach the server: ``refuge serve`` refuses to offer sign-in over plain HTTP to other
machines (issue 13: ``--host 0.0.0.0`` used to start silently, and passwords then crossed the
network in clear).

A loopback address needs nothing. Any other address needs either TLS served by refuge itself
(a certificate and its key) or an explicit ``--behind-proxy`` naming the addresses of the
TLS-terminating proxies whose ``X-Forwarded-*`` headers are trusted (uvicorn's
``forwarded_allow_ips``); headers from anyone else are ignored.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path

from refuge.errors import InputError


@dataclass(frozen=True, slots=True)
class Exposure:
    """How uvicorn is to be run: TLS files, trusted proxies, and whether cookies are Secure."""

    certificate: Path | None
    key: Path | None
    trusted_proxies: tuple[str, ...]

    @property
    def https(self) -> bool:
        return self.certificate is not None or bool(self.trusted_proxies)


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (``127.0.0.0/8``, ``::1``) only."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name may resolve to anything: treat it as reachable


def decide(
    host: str, certificate: Path | None, key: Path | None, behind_proxy: str | None
) -> Exposure:
    """Check the combination of options and return what to run, or raise ``InputError``
    saying what is missing and how to fix it."""
    if (certificate is None) != (key is None):
        raise InputError("--certificate and --key go together: give both, or neither")
    for path in (certificate, key):
        if path is not None and not path.is_file():
            raise InputError(f"{path}: no such file")
    proxies = _proxies(behind_proxy) if behind_proxy is not None else ()
    if certificate is not None and proxies:
        raise InputError("choose one: serve TLS yourself (--certificate) or --behind-proxy")
    exposure = Exposure(certificate, key, proxies)
    if not is_loopback(host) and not exposure.https:
        raise InputError(
            f"refusing to serve on {host} over plain HTTP: passwords and cookies would cross "
            "the network in clear. Serve TLS with --certificate FILE --key FILE, or run behind "
            "a TLS proxy with --behind-proxy ADDRESSES (the proxies' IP addresses), or keep "
            "the default --host 127.0.0.1"
        )
    return exposure


def _proxies(value: str) -> tuple[str, ...]:
    """The trusted proxy addresses (IPs or networks, comma-separated); ``*`` is refused
    because it would let any client forge its address and scheme."""
    items = tuple(item.strip() for item in value.split(",") if item.strip())
    if not items:
        raise InputError("--behind-proxy needs the proxies' addresses, e.g. 10.0.0.5")
    for item in items:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise InputError(
                f"--behind-proxy: {item!r} is not an IP address or network (such as 10.0.0.5 "
                "or 10.0.0.0/24); '*' is not allowed: it would trust every client's headers"
            ) from None
    return items
