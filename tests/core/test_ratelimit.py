"""Public forms are rate-limited per client, also behind the load balancer."""
from django.test import RequestFactory, override_settings

from core.ratelimit import client_key


def test_without_a_proxy_the_client_is_the_peer_address():
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client_key(request) == "203.0.113.7"  # a client's own header is not believed


@override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_behind_the_balancer_the_client_is_the_address_it_appended():
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7")
    assert client_key(request) == "203.0.113.7"


@override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_two_clients_behind_the_balancer_are_counted_apart():
    factory = RequestFactory()
    first = factory.post("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7")
    second = factory.post("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert client_key(first) != client_key(second)
