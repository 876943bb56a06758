"""A real S3 API server for local runs and tests: S3Proxy on its filesystem backend.

Maven fetches the one self-contained jar named in `deploy/local/s3proxy/pom.xml` into
`.local/s3proxy/libs` (kept apart from Kafka's pom so the two versions change on their own);
the server runs as a plain `java -jar` process whose id is kept in a pid file, so that
`stop()` ends exactly what `start()` began. Objects live under `<base_dir>/data/<bucket>`:
with the filesystem backend a bucket is a directory, so creating it at start is a mkdir.
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from localdev import processes
from localdev.paths import DEPLOY_LOCAL, LOCAL_DIR, ensure

LIBS_DIR = LOCAL_DIR / "s3proxy" / "libs"
MAVEN_REPO = LOCAL_DIR / "m2"
POM = DEPLOY_LOCAL / "s3proxy" / "pom.xml"

# Development credentials: the server accepts exactly these (AWS signature v2 or v4).
ACCESS_KEY = "sme-local-access"
SECRET_KEY = "sme-local-secret-key"  # noqa: S105 - development only, like the dev JWT key
BUCKET = "sme-documents"
REGION = "us-east-1"


def fetch_jar() -> Path:
    """Download the S3Proxy jar once; later calls are free."""
    marker = LIBS_DIR / ".complete"
    if marker.exists() and marker.read_text() == POM.read_text():
        return next(LIBS_DIR.glob("s3proxy-*.jar"))
    ensure(LIBS_DIR)
    for old in LIBS_DIR.glob("*.jar"):
        old.unlink()
    subprocess.run(
        [
            "mvn",
            "-q",
            "-B",
            "-f",
            str(POM),
            "dependency:copy-dependencies",
            f"-DoutputDirectory={LIBS_DIR}",
            f"-Dmaven.repo.local={MAVEN_REPO}",
        ],
        check=True,
    )
    marker.write_text(POM.read_text())
    return next(LIBS_DIR.glob("s3proxy-*.jar"))


@dataclass
class LocalS3:
    base_dir: Path
    port: int
    bucket: str = BUCKET
    heap: str = "256m"

    def __post_init__(self) -> None:
        self.base_dir = self.base_dir.resolve()
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid_file(self) -> Path:
        return self.base_dir / "s3proxy.pid"

    @property
    def data_dir(self) -> Path:
        return self.base_dir / "data"

    @property
    def config_file(self) -> Path:
        return self.base_dir / "s3proxy.properties"

    def env(self) -> dict[str, str]:
        """The settings a service needs to use this server (shared.platform.settings names)."""
        return {
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_BUCKET": self.bucket,
            "S3_REGION": REGION,
            "S3_ACCESS_KEY_ID": ACCESS_KEY,
            "S3_SECRET_ACCESS_KEY": SECRET_KEY,
        }

    def _write_config(self) -> None:
        self.config_file.write_text(
            "\n".join(
                [
                    f"s3proxy.endpoint={self.endpoint}",
                    "s3proxy.authorization=aws-v2-or-v4",
                    f"s3proxy.identity={ACCESS_KEY}",
                    f"s3proxy.credential={SECRET_KEY}",
                    "jclouds.provider=filesystem",
                    f"jclouds.filesystem.basedir={self.data_dir}",
                    "",
                ]
            )
        )

    def pid(self) -> int | None:
        """The server's pid if it is alive and really is this server."""
        return processes.running_pid(self.pid_file, [str(self.config_file).encode()], self._process)

    def start(self, wait: float = 120.0) -> None:
        self.launch()
        self.wait_ready(wait)

    def launch(self) -> None:
        """Start the process without waiting for it to answer (see `wait_ready`)."""
        if self.pid() is not None:
            return
        ensure(self.base_dir)
        ensure(self.data_dir / self.bucket)  # the bucket: a directory on this backend
        self._write_config()
        jar = fetch_jar()
        with open(self.base_dir / "stdout.log", "ab") as out:
            process = subprocess.Popen(
                [
                    "java",
                    f"-Xmx{self.heap}",
                    "-XX:+UseSerialGC",
                    "-Djava.awt.headless=true",
                    "-jar",
                    str(jar),
                    "--properties",
                    str(self.config_file),
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._process = process
        self.pid_file.write_text(str(process.pid))

    def wait_ready(self, timeout: float = 120.0) -> None:
        """Until the server answers HTTP on its port (any status: it speaks S3)."""
        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            if self.pid() is None:
                raise RuntimeError(
                    f"S3Proxy exited during start-up; see {self.base_dir}/stdout.log"
                )
            try:
                httpx.get(f"{self.endpoint}/", timeout=2)
                return
            except httpx.HTTPError as exc:
                last = str(exc)
                time.sleep(0.3)
        raise RuntimeError(f"S3Proxy on {self.endpoint} did not answer: {last}")

    def stop(self, timeout: float = 20.0) -> None:
        processes.stop(self.pid, self.pid_file, timeout)

    def kill(self) -> None:
        """Stop the server abruptly (outage tests)."""
        processes.kill(self.pid, self.pid_file)
