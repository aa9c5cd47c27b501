"""An S3-compatible server on 127.0.0.1 for the tests (moto's server mode, in a thread of the test
process): the lake's bucket, and the standard variables that point s3fs and dlt at it."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import boto3
from moto.server import ThreadedMotoServer

BUCKET = "newsrec"


@dataclass(frozen=True)
class S3Server:
    endpoint: str
    bucket: str

    @property
    def env(self) -> dict[str, str]:
        """What a user sets for a real bucket: credentials, the endpoint, the region."""
        return {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_DEFAULT_REGION": "us-east-1",
        }

    def bucket_url(self, prefix: str) -> str:
        return f"s3://{self.bucket}/{prefix}"


@contextmanager
def s3_server() -> Iterator[S3Server]:
    """The server on a free port of 127.0.0.1, with an empty bucket; stopped on exit."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one log line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        found = S3Server(f"http://{host}:{port}", BUCKET)
        env = found.env
        boto3.client(
            "s3",
            endpoint_url=found.endpoint,
            aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
            region_name=env["AWS_DEFAULT_REGION"],
        ).create_bucket(Bucket=BUCKET)
        yield found
    finally:
        server.stop()
