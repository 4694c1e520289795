"""Login limits held in Redis, as several app servers behind a load balancer share them."""

import uuid

import pytest

REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except Exception:
        return False


pytestmark = pytest.mark.skipif(not _redis_available(), reason=f"no Redis at {REDIS_URL}")


def test_two_app_servers_share_the_account_limit(make_app, make_user):
    """Failures on one server count on the other: the limit lives in Redis, not in a process."""
    settings = {"RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": uuid.uuid4().hex}
    first, second = make_app(**settings).test_client(), make_app(**settings).test_client()
    make_user("judge", username="judge1")
    for n in range(5):
        client = first if n % 2 else second
        assert (
            client.post(
                "/login", data={"username": "judge1", "password": "wrong password"}
            ).status_code
            == 401
        )
    response = first.post(
        "/login", data={"username": "judge1", "password": "correct horse battery"}
    )
    assert response.status_code == 429
