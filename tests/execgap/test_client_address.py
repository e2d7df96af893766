"""Which address a request comes from, for lockouts after failed sign-ins."""

import pytest
from django.test import RequestFactory

from execgap.client_address import client_address


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "", "10.0.0.1"),  # served directly: the peer's address
        (0, "198.51.100.7", "10.0.0.1"),  # no trusted proxy: a client's header is ignored
        (1, "", "10.0.0.1"),  # no header at all: the peer
        (1, "198.51.100.7", "198.51.100.7"),  # one proxy: the address it received from
        (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # what the client wrote before it is not trusted
        (2, "6.6.6.6, 198.51.100.7, 10.1.1.1", "198.51.100.7"),  # two proxies: two from the end
    ],
)
def test_the_client_is_the_address_the_trusted_proxies_report(settings, proxies, forwarded, expected):
    # given ExecGap behind `proxies` proxies, and a request from the last of them (10.0.0.1)
    settings.NUM_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    # when its client's address is worked out, then it is the one the trusted proxies report
    assert client_address(request) == expected
