"""What a host name is before any catalogue: its registrable domain, and whether it is the organization's own.

Registrable domains come from the Public Suffix List, shipped inside the ``publicsuffixlist`` package (no network
at run time). Its private section (``github.io``, ``cloudfront.net``, ``herokuapp.com``...) makes each customer's
site its own registrable domain, as it should: the hosting company is not the application.

A host that cannot name an online service is *ignored*, with the reason: a private or local address, a reverse
lookup, a multicast DNS name, a bare name without a domain, or a domain internal to the organization (the reserved
suffixes below and the workspace's own list).
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from publicsuffixlist import PublicSuffixList

from mue.discovery.readers.base import gettext_noop

NO_HOST = gettext_noop("no host name")
LOCAL_ADDRESS = gettext_noop("private or local address")
REVERSE_LOOKUP = gettext_noop("reverse lookup (in-addr.arpa, ip6.arpa)")
MULTICAST_DNS = gettext_noop("multicast DNS (.local)")
BARE_NAME = gettext_noop("local name without a domain")
INTERNAL_DOMAIN = gettext_noop("internal domain of the organization")
IP_ADDRESS = "(IP address)"

# Suffixes that never leave a private network (RFC 6761, RFC 8375, ICANN's .internal, and the usual conventions).
RESERVED_INTERNAL = ("home.arpa", "internal", "intranet", "lan", "localdomain", "corp", "home", "private",
                     "localhost", "test", "invalid", "example")

_IP_CHARS = frozenset("0123456789abcdefABCDEF.:%")

_psl = PublicSuffixList()
_icann = PublicSuffixList(only_icann=True)


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The host as an IP address, or None for a name (most hosts: told apart by their letters, without parsing)."""
    if not _IP_CHARS.issuperset(host) and "%" not in host:  # "%": an IPv6 zone (fe80::1%eth0) has any letters
        return None
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


@lru_cache(maxsize=65536)
def registrable(host: str) -> str:
    """The domain a host was registered under (``a.b.example.co.uk`` -> ``example.co.uk``), from the Public Suffix
    List; an address gives ``(IP address)``, a name that is itself a public suffix gives itself."""
    if _address(host) is not None:
        return IP_ADDRESS
    return _psl.privatesuffix(host) or host


@lru_cache(maxsize=65536)
def registered_domain(host: str) -> str:
    """The domain a host's owner registered, by the ICANN rules only (``me.github.io`` -> ``github.io``): whose
    platform it is, where :func:`registrable` says whose site it is."""
    return _icann.privatesuffix(host) or host


def public_suffix(host: str) -> str:
    """The public suffix of a host (``co.uk``, ``github.io``)."""
    return _psl.publicsuffix(host) or host


@lru_cache(maxsize=65536)
def shared_suffix(host: str) -> str | None:
    """The suffix of the list's private section the host is under (``github.io`` for ``me.github.io``), or None.

    Those suffixes are where many customers get their own site (shared hosting, CDNs, app platforms): a host
    under one belongs to the customer, not to the platform's vendor.
    """
    if host in ("", IP_ADDRESS):
        return None
    suffix = _psl.publicsuffix(host)
    return suffix if suffix and suffix != _icann.publicsuffix(host) else None


_RESERVED = frozenset(RESERVED_INTERNAL)


def _under(host: str, suffixes: frozenset[str]) -> bool:
    """Whether the host is one of the suffixes or under one: a set lookup per label, not a test per suffix."""
    name = host
    while True:
        if name in suffixes:
            return True
        dot = name.find(".")
        if dot < 0:
            return False
        name = name[dot + 1:]


def ignore_reason(host: str, internal: tuple[str, ...] | frozenset[str] = ()) -> str | None:
    """Why this host cannot be an online service in use, or None when it may be one."""
    if not host:
        return NO_HOST
    if host == "localhost" or host.endswith(".localhost"):
        return LOCAL_ADDRESS
    address = _address(host)
    if address is not None:
        if address.is_private or address.is_loopback or address.is_link_local or address.is_multicast \
                or address.is_unspecified or address.is_reserved:
            return LOCAL_ADDRESS
        return None
    if host.endswith((".in-addr.arpa", ".ip6.arpa")) or host in ("in-addr.arpa", "ip6.arpa"):
        return REVERSE_LOOKUP
    if host == "local" or host.endswith(".local"):
        return MULTICAST_DNS
    if internal and _under(host, frozenset(internal)):  # a frozenset is its own frozenset: no copy
        return INTERNAL_DOMAIN
    if _under(host, _RESERVED):
        return INTERNAL_DOMAIN
    if "." not in host:
        return BARE_NAME
    return None
