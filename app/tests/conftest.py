import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import app as service  # noqa: E402


@pytest.fixture
def make_client():
    """A test client of an app with the given caps; every load it started is stopped afterwards."""
    apps = []

    def make(**environ):
        application = service.create_app({name: str(value) for name, value in environ.items()})
        apps.append(application)
        return application.test_client()

    yield make
    for application in apps:
        application.config["LOAD_STOP"].set()
