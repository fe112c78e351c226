"""Helpers shared by the API tests: a token-authenticated client and the check
of the one error body {"code", "message", "details"}."""
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def assert_error(response, status: int, code: str, message: str) -> None:
    assert response.status_code == status, response.content.decode()
    body = response.json()
    assert (body["code"], body["message"]) == (code, message)
    assert isinstance(body["details"], list)
