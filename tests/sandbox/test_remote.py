from __future__ import annotations

import pytest

from booklet.sandbox.files import Refused
from booklet.sandbox.remote import address_allowed, fetch


@pytest.mark.parametrize("address, allowed", [
    ("93.184.215.14", True), ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", True),
    ("127.0.0.1", False), ("127.8.8.8", False), ("::1", False), ("0.0.0.0", False),
    ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.1.1", False),
    ("169.254.169.254", False), ("fe80::1%eth0", False), ("fc00::1", False),
    ("100.64.0.1", False), ("224.0.0.1", False), ("::ffff:127.0.0.1", False),
    ("::ffff:10.0.0.1", False), ("255.255.255.255", False),
])
def test_only_public_addresses_are_allowed(address, allowed):
    assert address_allowed(address) is allowed


@pytest.mark.parametrize("url, reason", [
    ("http://localhost/x.png", "leads to a private or local address"),
    ("http://127.1/x.png", "leads to a private or local address (127.0.0.1): refused"),
    ("http://0x7f000001/x.png", "leads to a private or local address (127.0.0.1): refused"),
    ("http:///x.png", "has no host name"),
    ("http://example.org:99999/x.png", "has a bad port"),
])
def test_refused_before_connecting(url, reason):
    with pytest.raises(Refused, match=reason.replace("(", r"\(").replace(")", r"\)")):
        fetch(url)
