"""Login lockout (django-axes): whose failures count, which successes forgive them, and the address.

django-axes counts failed logins per username and per client address (5 in 15 minutes lock
either). Two of its defaults let an attacker past that (issue 20, items 1 and 6):

- With `AXES_RESET_ON_SUCCESS`, a successful login deletes every failure that matches *any*
  lockout parameter, so every failure from the same address. Anyone with one account could
  log into it between guesses at a colleague's password, or between sprayed passwords, and
  never be locked. `LockoutHandler` forgives only the failures of the account that just logged
  in, made from the address she logged in from: her own typos.
- The address is the TCP peer. Behind a reverse proxy that is the proxy, so one outsider's
  failures locked everyone behind it. `client_ip` takes the client from X-Forwarded-For, but
  only the hops that `TRUSTED_PROXIES` vouch for; with none configured (the default) a client's
  X-Forwarded-For is ignored. And since attempts refused during a lock are not counted
  (`AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False`), a locked-out address cannot go
  on to lock username after username: one address can lock at most one account per cool-off.
"""

import ipaddress
from functools import lru_cache
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request: HttpRequest) -> str | None:
    """The address of the client that sent `request` (`AXES_CLIENT_IP_CALLABLE`).

    REMOTE_ADDR, unless it is one of `settings.TRUSTED_PROXIES` (addresses or networks). Then
    X-Forwarded-For is read from the right, where each trusted proxy appended the address it
    was connected from, and the first hop that is not a trusted proxy is the client. Whatever
    a client wrote into the header itself stands to the left of that and is never read. A hop
    that is not an address ends the walk at the last trusted one.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if remote is None or not networks or not _is_trusted(remote, networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    client = remote
    for hop in reversed([part.strip() for part in forwarded.split(",") if part.strip()]):
        try:
            client = str(ipaddress.ip_address(hop))
        except ValueError:
            break
        if not _is_trusted(client, networks):
            break
    return client


class AxesHttpRequest(HttpRequest):
    """A request django-axes has seen: it sets the client address it counts (`client_ip`)."""

    axes_ip_address: str


class LockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler whose successful login forgives only her own failures."""

    def reset_user_attempts(self, request: AxesHttpRequest, credentials: dict | None = None) -> int:
        """Delete the failures of the account that logged in, from the address she used.

        Her failures from elsewhere (someone else guessing her password) keep counting, and so
        do other accounts' failures from her address (her guessing theirs, or spraying).
        """
        username: Any = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return count
