"""The app under gunicorn for the benchmarks: gthread workers on a free loopback port, started with the
run's environment, stopped with its whole process group."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    def __init__(self, app: str, env: dict, *, workers: int, threads: int, log: Path | None = None):
        self.port = free_port()
        self.log = log.open("ab") if log is not None else None
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                app,
                "--chdir",
                str(ROOT),
                "--pythonpath",
                f"{ROOT},{HERE}",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--worker-class",
                # As ops/gunicorn_conf.py chooses: threads need gthread, one thread is a sync worker.
                "gthread" if threads > 1 else "sync",
                "--threads",
                str(threads),
                "--keep-alive",
                "5",
                "--backlog",
                "512",
                "--log-level",
                "warning",
            ],
            env=env,
            start_new_session=True,
            stdout=self.log,
            stderr=self.log,
        )
        self.wait_ready()

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn stopped while starting")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self.log is not None:
            self.log.close()
