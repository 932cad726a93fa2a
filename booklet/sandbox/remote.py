"""Fetching `http(s)` resources, only with `--allow-remote`: public addresses, bounded.

Before connecting, the host is resolved and every address it has must be public (no
private, loopback, link-local, shared, reserved or multicast address); the connection
then goes to that checked address, so a second lookup cannot swap it. Redirects are
followed by hand, each hop checked the same way. The whole fetch has a time limit and
the body a size limit; compressed answers are not asked for.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
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
    """Whether the build may connect to this IP address: public unicast only."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


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
    address = _public_address(url, host, port)
    connection = pinned_connection(parts.scheme.lower(), host, port, address,
                                   _remaining(deadline, timeout))
    response = None
    try:
        connection.connect()
        sock = connection.sock
        path = parts.path or "/"
        connection.request("GET", f"{path}?{parts.query}" if parts.query else path,
                           headers={**HEADERS, "Host": parts.netloc.rpartition("@")[2]})
        response = connection.getresponse()
        if response.status in REDIRECTS:
            return response.status, response.headers, b""
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > max_bytes:
            raise Refused(f"is {megabytes(int(length))}; the limit is {megabytes(max_bytes)}")
        body = _body(response, sock, deadline, max_bytes, timeout)
        return response.status, response.headers, body
    except TimeoutError:
        raise Refused(f"took longer than {timeout:g} seconds to fetch") from None
    except (OSError, http.client.HTTPException) as error:
        raise Refused(f"could not be fetched ({error or type(error).__name__})") from None
    finally:
        if response is not None:
            response.close()
        connection.close()


def _public_address(url: str, host: str, port: int) -> str:
    """The first address of `host`, after checking that every one of them is public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise Refused(f"names a host that could not be found ({error})") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    for address in addresses:
        if not address_allowed(address):
            raise Refused(f"leads to a private or local address ({address}): refused")
    if not addresses:
        raise Refused("names a host that could not be found")
    return addresses[0]


def _body(response: http.client.HTTPResponse, sock: socket.socket, deadline: float,
          max_bytes: int, timeout: float) -> bytes:
    """Read the body in chunks, within both the size and the time limit."""
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read1(64 * 1024):
        size += len(chunk)
        if size > max_bytes:
            raise Refused(f"is larger than {megabytes(max_bytes)}, the limit")
        chunks.append(chunk)
        sock.settimeout(_remaining(deadline, timeout))
    return b"".join(chunks)


def _remaining(deadline: float, timeout: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise Refused(f"took longer than {timeout:g} seconds to fetch")
    return left
