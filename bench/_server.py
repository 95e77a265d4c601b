"""The app under gunicorn for the benchmarks (gthread workers on a free loopback port, started with the
run's environment, stopped with its whole process group) and the lean HTTP/1.1 client that drives it."""

import asyncio
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


class Connection:
    """One keep-alive connection to the server on loopback, from `source` (any 127.x.y.z address: a
    simulated phone of its own); a response is read by its Content-Length (what Django sends).
    `request` returns the status, the headers (names in lower case), the cookies set and the body."""

    def __init__(self, port: int, source: str = "127.0.0.1"):
        self.port, self.source = port, source
        self.reader = self.writer = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(
            "127.0.0.1", self.port, local_addr=(self.source, 0)
        )
        self.writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None

    async def request(self, method: str, path: str, headers: dict, body: bytes = b""):
        if self.writer is None:
            await self.open()
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        received, cookies = {}, {}
        for line in header_lines:
            if not line:
                continue
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                cookie, _, _ = value.partition(";")
                key, _, val = cookie.partition("=")
                cookies[key.strip()] = val.strip()
            else:
                received[name] = value
        length = int(received.get("content-length", 0))
        content = await self.reader.readexactly(length) if length else b""
        if received.get("connection", "").lower() == "close":
            self.close()
        return status, received, cookies, content
