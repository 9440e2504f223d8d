"""botocore's data (service models, endpoint rules, partitions), precompiled for the Lambda package.

botocore parses each JSON file it needs with an `OrderedDict` hook, object by object in Python:
for DynamoDB's and S3's models and endpoint rules, the files the first `GET /` reads, that was
6.5% of a cold start's instructions (docs/DEPLOY.md). The package build (deploy/lambda_package.py)
stores next to each `x.json` an `x.json.marshal`: the same data in marshal's format, which the
interpreter reads back in C. `FileLoader` (pettube/aws.py's session uses it) reads that when it
is there and was written by this interpreter version, and the JSON otherwise: locally, in the
tests, and in any package built another way.
"""

import importlib.util
import json
import marshal
from pathlib import Path

from botocore.loaders import JSONFileLoader

SUFFIX = ".json.marshal"
# marshal's format may change with the interpreter's version: the bytecode's magic number says which.
HEADER = b"pettube-sdk-model\n" + importlib.util.MAGIC_NUMBER


def compile_file(json_file: Path) -> Path:
    """Write `json_file`'s data as `<name>.json.marshal` beside it; returns that file."""
    compiled = json_file.with_name(json_file.name.removesuffix(".json") + SUFFIX)
    compiled.write_bytes(HEADER + marshal.dumps(json.loads(json_file.read_bytes())))
    return compiled


class FileLoader(JSONFileLoader):
    def load_file(self, file_path):
        """The data of `file_path` (no extension, as botocore asks), from its compiled form when
        there is one for this interpreter, else from its JSON."""
        try:
            with open(file_path + SUFFIX, "rb") as compiled:
                header = compiled.read(len(HEADER))
                if header == HEADER:
                    return marshal.loads(compiled.read())
        except FileNotFoundError:
            pass
        return super().load_file(file_path)
