"""moto's server on 127.0.0.1 for the live AWS drift tests.

``start_moto_server()`` starts ``python -m moto.server`` as a child process on
a free loopback port and waits until ``/moto-api/`` answers; the returned
``MotoServer`` resets all state (``POST /moto-api/reset``) and stops the
process by its PID.  It needs no pytest, so a benchmark or a manual check can
use it too.

Fixtures (import them by name into a test module in tests/drift/):

* ``moto_server`` (session): one server for the whole test session;
* ``aws_env`` (function): a clean server (reset) and an environment that
  points boto3 at it -- ``AWS_ENDPOINT_URL``, fake credentials, region
  eu-west-1, no shared config/credentials files, no instance metadata -- and
  yields the endpoint URL.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

REGION = "eu-west-1"
HOST = "127.0.0.1"


@dataclass
class MotoServer:
    process: subprocess.Popen
    port: int

    @property
    def endpoint(self) -> str:
        return f"http://{HOST}:{self.port}"

    def reset(self) -> None:
        request = urllib.request.Request(f"{self.endpoint}/moto-api/reset", data=b"", method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            response.read()
        return True
    except (urllib.error.URLError, OSError):
        return False


def start_moto_server(timeout: float = 30.0, env: dict[str, str] | None = None) -> MotoServer:
    """A moto server on 127.0.0.1 at a free port, ready to answer; ``env`` adds
    server settings (``INITIAL_NO_AUTH_ACTION_COUNT`` turns IAM checks on)."""
    last_error = "not started"
    for _attempt in range(3):  # another process may take the port between probe and bind
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", HOST, "-p", str(port)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
        )
        server = MotoServer(process, port)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                last_error = f"moto server exited with {process.returncode}"
                break
            if _answers(f"{server.endpoint}/moto-api/"):
                return server
            time.sleep(0.05)
        else:
            last_error = "moto server did not answer in time"
        server.stop()
    raise RuntimeError(last_error)


def aws_environment(endpoint: str, config_dir: str) -> dict[str, str]:
    """Environment variables that point boto3 (and a child zerodrift) at ``endpoint``
    with fake credentials and nothing from the user's own AWS configuration."""
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "AWS_CONFIG_FILE": os.path.join(config_dir, "no-config"),
        "AWS_SHARED_CREDENTIALS_FILE": os.path.join(config_dir, "no-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
    }


_CLEARED = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN")


@pytest.fixture(scope="session")
def moto_server() -> Iterator[MotoServer]:
    server = start_moto_server()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def aws_env(moto_server: MotoServer, monkeypatch: pytest.MonkeyPatch, tmp_path) -> Iterator[str]:
    moto_server.reset()
    for name in _CLEARED:
        monkeypatch.delenv(name, raising=False)
    for name, value in aws_environment(moto_server.endpoint, str(tmp_path)).items():
        monkeypatch.setenv(name, value)
    yield moto_server.endpoint
