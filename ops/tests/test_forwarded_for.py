"""The client's address behind the reverse proxy (ops.middleware.ForwardedForMiddleware): what the
survey limits and the login throttle count."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from ops.middleware import ForwardedForMiddleware
from parindex.tests.test_settings import run_django


def seen_address(settings, trusted, peer, forwarded=None):
    settings.TRUSTED_PROXIES = trusted
    seen = {}

    def view(request):
        seen["address"] = request.META["REMOTE_ADDR"]
        seen["proxy"] = request.META.get("PROXY_ADDR")
        return HttpResponse()

    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    ForwardedForMiddleware(view)(RequestFactory().get("/", **extra))
    return seen["address"], seen["proxy"]


LOCAL = ["127.0.0.1", "::1"]


@pytest.mark.parametrize(
    ("trusted", "peer", "forwarded", "address"),
    [
        # nginx on the same machine appends the address it saw.
        (LOCAL, "127.0.0.1", "203.0.113.7", "203.0.113.7"),
        # What the client sent itself stands left of it and is not believed.
        (LOCAL, "127.0.0.1", "1.2.3.4, 203.0.113.7", "203.0.113.7"),
        # Two proxies of ours (a load balancer, then nginx): the first address not ours.
        (["127.0.0.1", "10.0.0.0/24"], "127.0.0.1", "198.51.100.9, 10.0.0.5", "198.51.100.9"),
        (LOCAL, "::1", "2001:db8::5", "2001:db8::5"),
        # A peer that is no proxy of ours: its header is the client's own word, ignored.
        (LOCAL, "198.51.100.20", "1.2.3.4", "198.51.100.20"),
        # Not behind a proxy (BEHIND_PROXY off): nothing is believed.
        ([], "127.0.0.1", "1.2.3.4", "127.0.0.1"),
        # Garbage in the header: the proxy's address stays.
        (LOCAL, "127.0.0.1", "not-an-address", "127.0.0.1"),
        (LOCAL, "127.0.0.1", "", "127.0.0.1"),
    ],
)
def test_the_client_address_is_read_from_the_right(settings, trusted, peer, forwarded, address):
    assert seen_address(settings, trusted, peer, forwarded)[0] == address


def test_the_proxy_address_is_kept(settings):
    assert seen_address(settings, LOCAL, "127.0.0.1", "203.0.113.7") == ("203.0.113.7", "127.0.0.1")
    assert seen_address(settings, LOCAL, "127.0.0.1") == ("127.0.0.1", None)


def test_settings_trust_forwarded_addresses_only_behind_a_proxy():
    show = [
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.TRUSTED_PROXIES)",
    ]
    alone = run_django(show, DEBUG="1", BEHIND_PROXY="0")
    assert alone.returncode == 0, alone.stderr
    assert alone.stdout.strip() == "[]"
    behind = run_django(
        show, DEBUG="1", BEHIND_PROXY="1", FORWARDED_ALLOW_IPS="127.0.0.1, 10.0.0.0/8"
    )
    assert behind.stdout.strip() == "['127.0.0.1', '10.0.0.0/8']", behind.stderr
