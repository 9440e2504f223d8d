"""Counting the AWS calls a request makes, with botocore's event hooks: every operation the
app's clients send (presigning a URL sends nothing and is not counted)."""

import contextlib

from pettube import aws


@contextlib.contextmanager
def counted():
    """Yields a list that collects "Service.Operation" for each call made inside the block."""
    calls = []

    def record(model, **kwargs):
        calls.append(f"{model.service_model.service_name}.{model.name}")

    clients = [aws.client("dynamodb"), aws.client("s3"), aws.client("cloudfront")]
    for client in clients:
        client.meta.events.register("before-call", record)
    try:
        yield calls
    finally:
        for client in clients:
            client.meta.events.unregister("before-call", record)
