"""Refuse webhook targets inside the server's own network (SSRF).

A URL is checked when an endpoint is saved and again before every delivery (its name may
resolve elsewhere by then: DNS rebinding). Every address a name resolves to must be a public
unicast address; the delivery then connects to the checked address itself, so a second
lookup cannot swap it. `RAPPORT_WEBHOOKS_ALLOW_PRIVATE=true` switches the check off for
development and tests (receivers on 127.0.0.1).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
#: a name that takes longer to resolve is treated as unresolvable (a request is waiting)
DNS_TIMEOUT_SECONDS = 5.0


class UrlRefused(Exception):
    """The URL may not be called; `code` tells why (stable, for the API)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Target:
    host: str
    port: int
    #: the checked addresses to connect to; empty when checks are off
    addresses: tuple[str, ...]


def is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return is_public(address.ipv4_mapped)
        # 6to4 and Teredo carry an IPv4 address a relay would forward to
        embedded = address.sixtofour or (address.teredo[1] if address.teredo else None)
        if embedded is not None and not is_public(embedded):
            return False
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def parse(url: str) -> tuple[str, int]:
    """(host, port) of an http(s) URL, or UrlRefused("webhook_url_invalid")."""
    if any(c.isspace() or not c.isprintable() for c in url):
        raise UrlRefused("webhook_url_invalid", "The URL must not contain spaces or controls.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UrlRefused("webhook_url_invalid", f"Not a valid URL: {exc}.") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UrlRefused("webhook_url_invalid", "The URL must start with http:// or https://.")
    default = 443 if parts.scheme == "https" else 80
    return parts.hostname, port or default


async def resolve(url: str, *, allow_private: bool) -> Target:
    """Check `url` and return where to connect; raises UrlRefused."""
    host, port = parse(url)
    if allow_private:
        return Target(host, port, ())
    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [literal]
    elif host == "localhost" or host.endswith(".localhost"):
        # RFC 6761: always loopback, whatever a resolver says
        addresses = [ipaddress.ip_address("127.0.0.1")]
    else:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(DNS_TIMEOUT_SECONDS):
                infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError, TimeoutError) as exc:
            raise UrlRefused(
                "webhook_url_unresolvable", f"The host {host} cannot be resolved."
            ) from exc
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
    if not addresses:
        raise UrlRefused("webhook_url_unresolvable", f"The host {host} cannot be resolved.")
    for address in addresses:
        if not is_public(address):
            raise UrlRefused(
                "webhook_url_private",
                f"{host} resolves to {address}, a private, loopback, link-local or reserved "
                "address; webhooks go to public addresses only.",
            )
    return Target(host, port, tuple(dict.fromkeys(str(a) for a in addresses)))
