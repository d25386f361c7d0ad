"""The service the step scaling is for: a small Flask app with a health endpoint and a load endpoint.

POST /load drives memory and CPU on purpose, so that a person can watch the scaling act. It is capped hard:
at most LOAD_MAX_MEMORY_MB per request, LOAD_MAX_SECONDS long, LOAD_MAX_CONCURRENT at once (the rest get 429),
so it cannot take a task down by accident. The caps come from the environment and have safe defaults.
"""

import os
import threading
import time

from flask import Flask, jsonify, request

MIB = 1024 * 1024
PAGE = 4096

# Defaults fit the smallest Fargate task (0.25 vCPU, 512 MiB): two loads of 128 MiB leave room for Python,
# gunicorn and the 64 MiB /tmp tmpfs.
DEFAULT_CAPS = {"LOAD_MAX_MEMORY_MB": 128, "LOAD_MAX_SECONDS": 300, "LOAD_MAX_CONCURRENT": 2}

# Ceilings on the caps themselves: an environment variable cannot lift them past these.
CAP_CEILINGS = {"LOAD_MAX_MEMORY_MB": 4096, "LOAD_MAX_SECONDS": 3600, "LOAD_MAX_CONCURRENT": 16}


def read_caps(environ):
    """The load caps from the environment; a value that is not a whole number within its ceiling is an error."""
    caps = {}
    for name, default in DEFAULT_CAPS.items():
        text = environ.get(name)
        if text is None:
            caps[name] = default
            continue
        try:
            value = int(text)
        except ValueError:
            raise ValueError(f"{name} must be a whole number from 1 to {CAP_CEILINGS[name]}; got {text!r}") from None
        if not 1 <= value <= CAP_CEILINGS[name]:
            raise ValueError(f"{name} must be a whole number from 1 to {CAP_CEILINGS[name]}; got {text!r}")
        caps[name] = value
    return caps


def hold_memory(megabytes, seconds, stop):
    """Allocates and touches `megabytes` MiB (so it counts as resident), holds it `seconds`, then frees it."""
    block = bytearray(megabytes * MIB)
    for offset in range(0, len(block), PAGE):
        block[offset] = 1
    stop.wait(seconds)
    del block


def burn_cpu(seconds, stop):
    """Keeps one core busy for `seconds` (one thread: the GIL keeps a Python loop on one core)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not stop.is_set():
        sum(i * i for i in range(10_000))


class LoadLimiter:
    """Counts running loads and refuses one more than the cap."""

    def __init__(self, limit):
        self._limit = limit
        self._running = 0
        self._lock = threading.Lock()

    def try_acquire(self):
        with self._lock:
            if self._running >= self._limit:
                return False
            self._running += 1
            return True

    def release(self):
        with self._lock:
            self._running -= 1

    @property
    def running(self):
        with self._lock:
            return self._running


def parse_whole(args, name, low, high):
    """A query parameter as a whole number within [low, high], or the message saying why not."""
    text = args.get(name, "0")
    try:
        value = int(text)
    except ValueError:
        return None, f"{name} must be a whole number from {low} to {high}; got {text!r}"
    if not low <= value <= high:
        return None, f"{name} must be a whole number from {low} to {high}; got {value}"
    return value, None


def create_app(environ=None):
    """Builds the app; `environ` (default os.environ) supplies the load caps."""
    caps = read_caps(os.environ if environ is None else environ)
    limiter = LoadLimiter(caps["LOAD_MAX_CONCURRENT"])
    stop = threading.Event()
    app = Flask(__name__)
    app.config["LOAD_CAPS"] = caps
    app.config["LOAD_LIMITER"] = limiter
    app.config["LOAD_STOP"] = stop

    @app.get("/")
    def index():
        return jsonify(service="step-scaled-ecs demo", endpoints=["/health", "GET /load", "POST /load"])

    @app.get("/health")
    def health():
        # The ALB target group and the container health check call this: it answers while loads run.
        return jsonify(status="ok")

    @app.get("/load")
    def load_status():
        return jsonify(running=limiter.running, caps=caps)

    @app.post("/load")
    def start_load():
        memory_mb, memory_error = parse_whole(request.args, "memory_mb", 0, caps["LOAD_MAX_MEMORY_MB"])
        cpu_seconds, cpu_error = parse_whole(request.args, "cpu_seconds", 0, caps["LOAD_MAX_SECONDS"])
        hold_seconds, hold_error = parse_whole(request.args, "hold_seconds", 0, caps["LOAD_MAX_SECONDS"])
        unknown = sorted(set(request.args) - {"memory_mb", "cpu_seconds", "hold_seconds"})
        errors = [e for e in (memory_error, cpu_error, hold_error) if e]
        errors += [f"unknown parameter {name!r} (known: memory_mb, cpu_seconds, hold_seconds)" for name in unknown]
        if not errors and memory_mb > 0 and hold_seconds == 0:
            errors.append("memory_mb needs hold_seconds (how long to hold it), from 1 to " + str(caps["LOAD_MAX_SECONDS"]))
        if not errors and memory_mb == 0 and cpu_seconds == 0:
            errors.append("give memory_mb with hold_seconds, or cpu_seconds, or both")
        if errors:
            return jsonify(errors=errors), 400
        if not limiter.try_acquire():
            return jsonify(errors=[f"{caps['LOAD_MAX_CONCURRENT']} loads are already running (LOAD_MAX_CONCURRENT); try again later"]), 429

        def run():
            try:
                workers = []
                if memory_mb > 0:
                    workers.append(threading.Thread(target=hold_memory, args=(memory_mb, hold_seconds, stop), daemon=True))
                if cpu_seconds > 0:
                    workers.append(threading.Thread(target=burn_cpu, args=(cpu_seconds, stop), daemon=True))
                for worker in workers:
                    worker.start()
                for worker in workers:
                    worker.join()
            finally:
                limiter.release()

        threading.Thread(target=run, daemon=True).start()
        return jsonify(started={"memory_mb": memory_mb, "hold_seconds": hold_seconds, "cpu_seconds": cpu_seconds}), 202

    return app


app = create_app()

if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "8080")))
