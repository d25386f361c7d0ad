import threading
import time

import pytest

import app as service


def wait_until(condition, seconds=5.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def test_health_ok(make_client):
    response = make_client().get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_health_answers_while_loads_run(make_client):
    client = make_client(LOAD_MAX_CONCURRENT=2)
    assert client.post("/load?memory_mb=1&hold_seconds=30").status_code == 202
    assert client.post("/load?cpu_seconds=30").status_code == 202
    assert client.get("/health").status_code == 200


def test_load_status_reports_the_caps_from_the_environment(make_client):
    client = make_client(LOAD_MAX_MEMORY_MB=64, LOAD_MAX_SECONDS=60, LOAD_MAX_CONCURRENT=3)
    body = client.get("/load").get_json()
    assert body == {"running": 0, "caps": {"LOAD_MAX_MEMORY_MB": 64, "LOAD_MAX_SECONDS": 60, "LOAD_MAX_CONCURRENT": 3}}


def test_load_within_caps_starts_and_finishes(make_client):
    client = make_client()
    response = client.post("/load?memory_mb=2&hold_seconds=1&cpu_seconds=1")
    assert response.status_code == 202
    assert response.get_json() == {"started": {"memory_mb": 2, "hold_seconds": 1, "cpu_seconds": 1}}
    assert wait_until(lambda: client.get("/load").get_json()["running"] == 0), "the load must end after its seconds"


@pytest.mark.parametrize(
    "query, message",
    [
        ("memory_mb=129&hold_seconds=1", "memory_mb must be a whole number from 0 to 128; got 129"),
        ("cpu_seconds=301", "cpu_seconds must be a whole number from 0 to 300; got 301"),
        ("memory_mb=1&hold_seconds=301", "hold_seconds must be a whole number from 0 to 300; got 301"),
        ("cpu_seconds=-1", "cpu_seconds must be a whole number from 0 to 300; got -1"),
    ],
)
def test_load_over_a_cap_is_refused_with_the_cap_and_value(make_client, query, message):
    client = make_client()
    response = client.post(f"/load?{query}")
    assert response.status_code == 400
    assert response.get_json() == {"errors": [message]}
    assert client.get("/load").get_json()["running"] == 0


@pytest.mark.parametrize(
    "query, message",
    [
        ("memory_mb=ten&hold_seconds=1", "memory_mb must be a whole number from 0 to 128; got 'ten'"),
        ("cpu_seconds=1.5", "cpu_seconds must be a whole number from 0 to 300; got '1.5'"),
        ("cpu_seconds=", "cpu_seconds must be a whole number from 0 to 300; got ''"),
        ("cpu_seconds=1&gigabytes=4", "unknown parameter 'gigabytes' (known: memory_mb, cpu_seconds, hold_seconds)"),
        ("memory_mb=10", "memory_mb needs hold_seconds (how long to hold it), from 1 to 300"),
        ("", "give memory_mb with hold_seconds, or cpu_seconds, or both"),
    ],
)
def test_load_bad_input_is_a_400_naming_the_parameter(make_client, query, message):
    response = make_client().post(f"/load?{query}")
    assert response.status_code == 400
    assert message in response.get_json()["errors"]


def test_load_reports_every_error_at_once(make_client):
    response = make_client().post("/load?memory_mb=x&cpu_seconds=y&hold_seconds=z")
    assert response.status_code == 400
    assert len(response.get_json()["errors"]) == 3


def test_load_beyond_the_concurrency_cap_is_429_and_the_slot_frees_after(make_client):
    client = make_client(LOAD_MAX_CONCURRENT=2, LOAD_MAX_SECONDS=2)
    assert client.post("/load?cpu_seconds=1").status_code == 202
    assert client.post("/load?cpu_seconds=1").status_code == 202
    refused = client.post("/load?cpu_seconds=1")
    assert refused.status_code == 429
    assert "LOAD_MAX_CONCURRENT" in refused.get_json()["errors"][0]
    assert wait_until(lambda: client.get("/load").get_json()["running"] == 0)
    assert client.post("/load?cpu_seconds=1").status_code == 202


def test_load_only_get_and_post(make_client):
    assert make_client().delete("/load").status_code == 405


@pytest.mark.parametrize(
    "environ, message",
    [
        ({"LOAD_MAX_MEMORY_MB": "4097"}, "LOAD_MAX_MEMORY_MB must be a whole number from 1 to 4096; got '4097'"),
        ({"LOAD_MAX_SECONDS": "0"}, "LOAD_MAX_SECONDS must be a whole number from 1 to 3600; got '0'"),
        ({"LOAD_MAX_CONCURRENT": "many"}, "LOAD_MAX_CONCURRENT must be a whole number from 1 to 16; got 'many'"),
    ],
)
def test_caps_out_of_their_ceiling_fail_at_start(environ, message):
    with pytest.raises(ValueError) as error:
        service.create_app(environ)
    assert str(error.value) == message


def test_hold_memory_touches_every_page_then_returns_when_stopped():
    stop = threading.Event()
    stop.set()
    started = time.monotonic()
    service.hold_memory(1, 60, stop)
    assert time.monotonic() - started < 5


def test_burn_cpu_stops_after_its_seconds():
    started = time.monotonic()
    service.burn_cpu(0.2, threading.Event())
    elapsed = time.monotonic() - started
    assert 0.2 <= elapsed < 2


def test_healthcheck_script_exits_1_when_nothing_listens(monkeypatch):
    import runpy
    from pathlib import Path

    monkeypatch.setenv("PORT", "9")  # discard port: nothing answers HTTP there
    with pytest.raises(SystemExit) as exit_info:
        runpy.run_path(str(Path(service.__file__).with_name("healthcheck.py")))
    assert exit_info.value.code == 1


def test_healthcheck_script_exits_0_when_the_app_answers(monkeypatch):
    import runpy
    from pathlib import Path

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, service.create_app({}), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        monkeypatch.setenv("PORT", str(server.server_port))
        with pytest.raises(SystemExit) as exit_info:
            runpy.run_path(str(Path(service.__file__).with_name("healthcheck.py")))
        assert exit_info.value.code == 0
    finally:
        server.shutdown()
