from tests.certificates_fixtures import make_final_event  # noqa: F401
