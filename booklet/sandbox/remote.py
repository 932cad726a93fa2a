"""Fetching `http(s)` resources, only with `--allow-remote`: public addresses, bounded.

Before connecting, the host is resolved and every address it has must be public (no
private, loopback, link-local, shared, reserved or multicast address); the connection
then goes to that checked address, so a second lookup cannot swap it. Redirects are
followed by hand, each hop checked the same way. The whole fetch (the lookup,
connecting, TLS, the headers and the body, every redirect) ends by one deadline, and
the body has a size limit; compressed answers are not asked for. An IPv6 address
carrying an IPv4 one is judged by the IPv4 address.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import threading
import time
from urllib.parse import urljoin, urlsplit

from .. import __version__
from ..engine.connection import pinned_connection
from .files import Refused, Resource
from .limits import MAX_IMAGE_BYTES, MAX_REDIRECTS, REMOTE_TIMEOUT, megabytes

REDIRECTS = (301, 302, 303, 307, 308)
HEADERS = {"User-Agent": f"booklet/{__version__}", "Accept": "*/*",
           "Accept-Encoding": "identity", "Connection": "close"}


def address_allowed(address: str) -> bool:
    """Whether the build may connect to this IP address: public unicast only. An IPv6
    address that carries an IPv4 one (mapped, translated, compatible, NAT64, 6to4,
    Teredo) is judged by the IPv4 addresses it carries: it may lead to them."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        carried = embedded_ipv4(ip)
        if carried:
            return all(_public(v4) for v4 in carried)
        if ip in NAT64_LOCAL:  # RFC 8215: where the IPv4 sits depends on the network
            return False
    return _public(ip)


#: IPv6 prefixes whose last 32 bits are an IPv4 address: IPv4-translated (RFC 2765),
#: IPv4-compatible (RFC 4291, deprecated) and the NAT64 well-known prefix (RFC 6052).
#: (IPv4-mapped, 6to4 and Teredo have their own `ipaddress` properties.)
LAST_32_BITS = tuple(ipaddress.ip_network(net) for net in
                     ("::ffff:0:0:0/96", "::/96", "64:ff9b::/96"))
NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")


def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries (and may lead to), if any."""
    if ip.ipv4_mapped is not None:
        return [ip.ipv4_mapped]
    if ip.sixtofour is not None:
        return [ip.sixtofour]
    if ip.teredo is not None:
        return list(ip.teredo)
    if ip in LAST_32_BITS[1] and int(ip) <= 1:  # :: and ::1 are what they are
        return []
    if any(ip in net for net in LAST_32_BITS):
        return [ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)]
    return []


def _public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    # `is_reserved` too: Python 3.11 calls unassigned IPv6 space (`::/8` ...) global
    return ip.is_global and not ip.is_multicast and not ip.is_reserved


def fetch(url: str, timeout: float | None = None, max_bytes: int | None = None) -> Resource:
    """Fetch `url` under the rules above; raise `Refused` saying why it was not fetched."""
    timeout = REMOTE_TIMEOUT if timeout is None else timeout
    max_bytes = MAX_IMAGE_BYTES if max_bytes is None else max_bytes
    deadline = time.monotonic() + timeout
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        try:
            status, headers, body = _get(current, deadline, max_bytes, timeout)
        except Refused as refusal:
            if current == url:
                raise
            raise Refused(f"redirects to '{current}', which {refusal}") from None
        if status in REDIRECTS and headers.get("Location"):
            target = urljoin(current, headers["Location"])
            if urlsplit(target).scheme.lower() not in ("http", "https"):
                raise Refused(f"redirects to '{target}', which the build never reads")
            current = target
            continue
        if status != 200:
            raise Refused(f"could not be fetched: the server answered {status}")
        kind = headers.get_content_type() if headers.get("Content-Type") else \
            "application/octet-stream"
        return Resource(current, body, kind)
    raise Refused(f"redirects more than {MAX_REDIRECTS} times")


def _get(url: str, deadline: float, max_bytes: int, timeout: float
         ) -> tuple[int, http.client.HTTPMessage, bytes]:
    parts = urlsplit(url)
    host = parts.hostname
    if not host:
        raise Refused(f"has no host name ('{url}')")
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError:
        raise Refused(f"has a bad port ('{url}')") from None
    address = _public_address(url, host, port, deadline, timeout)
    connection = pinned_connection(parts.scheme.lower(), host, port, address, deadline)
    response = None
    try:
        connection.connect()
        path = parts.path or "/"
        connection.request("GET", f"{path}?{parts.query}" if parts.query else path,
                           headers={**HEADERS, "Host": parts.netloc.rpartition("@")[2]})
        response = connection.getresponse()
        if response.status in REDIRECTS:
            return response.status, response.headers, b""
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > max_bytes:
            raise Refused(f"is {megabytes(int(length))}; the limit is {megabytes(max_bytes)}")
        body = _body(response, max_bytes)
        return response.status, response.headers, body
    except TimeoutError:
        raise Refused(f"took longer than {timeout:g} seconds to fetch") from None
    except (OSError, http.client.HTTPException) as error:
        raise Refused(f"could not be fetched ({error or type(error).__name__})") from None
    finally:
        if response is not None:
            response.close()
        connection.close()


def _public_address(url: str, host: str, port: int, deadline: float, timeout: float) -> str:
    """The first address of `host`, after checking that every one of them is public."""
    infos = _resolve(host, port, deadline, timeout)
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    for address in addresses:
        if not address_allowed(address):
            raise Refused(f"leads to a private or local address ({address}): refused")
    if not addresses:
        raise Refused("names a host that could not be found")
    return addresses[0]


def _resolve(host: str, port: int, deadline: float, timeout: float) -> list:
    """`getaddrinfo` within the deadline: the system's resolver has no timeout of its
    own to give, so it runs in a thread left behind if it takes too long."""
    found: dict[str, object] = {}

    def lookup() -> None:
        try:
            found["infos"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as error:
            found["error"] = error

    thread = threading.Thread(target=lookup, name="booklet-resolve", daemon=True)
    thread.start()
    thread.join(_remaining(deadline, timeout))
    if thread.is_alive():
        raise Refused(f"took longer than {timeout:g} seconds to fetch")
    if "error" in found:
        raise Refused(f"names a host that could not be found ({found['error']})")
    return found["infos"]  # type: ignore[return-value]


def _body(response: http.client.HTTPResponse, max_bytes: int) -> bytes:
    """Read the body in chunks within the size limit (the socket keeps the deadline)."""
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read1(64 * 1024):
        size += len(chunk)
        if size > max_bytes:
            raise Refused(f"is larger than {megabytes(max_bytes)}, the limit")
        chunks.append(chunk)
    return b"".join(chunks)


def _remaining(deadline: float, timeout: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise Refused(f"took longer than {timeout:g} seconds to fetch")
    return left
