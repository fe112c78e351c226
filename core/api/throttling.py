"""Rate limits of the API, each with its own rate (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]):
public reads (``public``) and logging in (``login``) are counted apart, so crawlers of the
catalog and password guessing do not use up each other's allowance."""
from rest_framework.throttling import AnonRateThrottle


class PublicReadThrottle(AnonRateThrottle):
    """Anonymous reads of public data (catalog, library, notices, search)."""

    scope = "public"


class LoginThrottle(AnonRateThrottle):
    """The token endpoint, per client address."""

    scope = "login"
