"""The package callback's cut of the AWS SDK, on a small stand-in for boto3's files."""

import gzip
import json
from pathlib import Path

import pytest

from deploy.lambda_package import keep_service_models


@pytest.fixture
def sdk(tmp_path):
    data, boto3_data = tmp_path / "botocore" / "data", tmp_path / "boto3" / "data"
    for service in ("s3", "dynamodb", "sqs"):
        model = data / service / "2020-01-01"
        model.mkdir(parents=True)
        (model / "service-2.json.gz").write_bytes(gzip.compress(json.dumps({"service": service}).encode()))
        (boto3_data / service / "2020-01-01").mkdir(parents=True)
    partition = {"partition": "aws", "regions": {"us-east-1": {}}, "services": {"s3": {}, "dynamodb": {}, "sqs": {}}}
    (data / "endpoints.json").write_text(json.dumps({"partitions": [partition, {**partition, "partition": "aws-cn"}]}))
    return tmp_path


def test_keeps_only_the_services_models_uncompressed_and_their_endpoints(sdk):
    keep_service_models(sdk, {"s3", "dynamodb"})

    data = sdk / "botocore" / "data"
    assert sorted(path.name for path in data.iterdir() if path.is_dir()) == ["dynamodb", "s3"]
    assert sorted(path.name for path in (sdk / "boto3" / "data").iterdir()) == ["dynamodb", "s3"]
    assert json.loads((data / "s3" / "2020-01-01" / "service-2.json").read_text()) == {"service": "s3"}
    assert not list(data.rglob("*.gz"))
    partitions = json.loads((data / "endpoints.json").read_text())["partitions"]
    assert [sorted(partition["services"]) for partition in partitions] == [["dynamodb", "s3"]] * 2
    assert [partition["regions"] for partition in partitions] == [{"us-east-1": {}}] * 2


def test_refuses_a_service_botocore_does_not_know(sdk):
    with pytest.raises(RuntimeError, match="no model for s4"):
        keep_service_models(sdk, {"s3", "s4"})

    assert (sdk / "botocore" / "data" / "sqs").is_dir()  # nothing removed


def test_leaves_a_package_without_boto3_alone(tmp_path):
    (tmp_path / "django").mkdir()

    keep_service_models(tmp_path, {"s3"})

    assert [path.name for path in tmp_path.iterdir()] == ["django"]


def test_every_model_that_stays_is_also_precompiled_and_read_back_the_same(sdk):
    from pettube import sdk_models

    keep_service_models(sdk, {"s3", "dynamodb"})

    data = sdk / "botocore" / "data"
    for model in data.rglob("*.json"):
        loaded = sdk_models.FileLoader().load_file(str(model.with_suffix("")))
        assert loaded == json.loads(model.read_text())
        assert model.with_name(model.stem + sdk_models.SUFFIX).exists()


def test_the_sessions_loader_reads_the_precompiled_model_and_falls_back_to_json(tmp_path, monkeypatch):
    import marshal

    from pettube import sdk_models

    model = tmp_path / "service-2.json"
    model.write_text(json.dumps({"from": "json"}))
    assert sdk_models.FileLoader().load_file(str(tmp_path / "service-2")) == {"from": "json"}

    compiled = sdk_models.compile_file(model)
    compiled.write_bytes(sdk_models.HEADER + marshal.dumps({"from": "marshal"}))
    assert sdk_models.FileLoader().load_file(str(tmp_path / "service-2")) == {"from": "marshal"}

    compiled.write_bytes(b"pettube-sdk-model\n\x00\x00\r\n" + marshal.dumps({"from": "another interpreter"}))
    assert sdk_models.FileLoader().load_file(str(tmp_path / "service-2")) == {"from": "json"}


def test_the_real_models_precompiled_make_the_same_clients(tmp_path, monkeypatch):
    """DynamoDB's and S3's models and endpoint rules from their precompiled form: the clients
    botocore builds from them resolve and serialize as from the JSON."""
    import shutil

    import boto3
    import botocore

    from pettube import sdk_models

    data, botocore_data = tmp_path / "data", Path(botocore.__file__).parent / "data"
    for name in ("s3", "dynamodb", "endpoints.json", "partitions.json", "_retry.json",
                 "sdk-default-configuration.json"):
        if (botocore_data / name).is_dir():
            shutil.copytree(botocore_data / name, data / name)
        else:
            shutil.copy(botocore_data / name, data / name)
    for compressed in data.rglob("*.json.gz"):
        compressed.with_suffix("").write_bytes(gzip.decompress(compressed.read_bytes()))
    for model in data.rglob("*.json"):
        sdk_models.compile_file(model)

    def client(service, precompiled):
        session = boto3.session.Session(aws_access_key_id="k", aws_secret_access_key="s", region_name="eu-west-1")
        loader = session._session.get_component("data_loader")
        loader.search_paths.insert(0, str(data))
        if precompiled:
            loader.file_loader = sdk_models.FileLoader()
            loader.file_loader._load_file = _no_json  # botocore's JSON parsing: must not happen
        return session.client(service)

    for service, operation, params in [
        ("s3", "get_object", {"Bucket": "pettube-media", "Key": "media/a b/c.jpg"}),
        ("dynamodb", "get_item", {"TableName": "pettube-videos", "Key": {"id": {"S": "x"}}}),
    ]:
        fast, slow = client(service, True), client(service, False)
        assert fast.meta.endpoint_url == slow.meta.endpoint_url
        assert fast.meta.service_model.operation_names == slow.meta.service_model.operation_names
        sent = []
        for made in (fast, slow):
            made.meta.events.register(
                "before-send", lambda request, **_: sent.append((request.method, request.url, request.body))
                or botocore.awsrequest.AWSResponse(request.url, 200, {}, None))
            try:
                getattr(made, operation)(**params)
            except Exception:
                pass  # the stub's empty answer: only the request matters
        assert len(sent) == 2 and sent[0] == sent[1]


def _no_json(path, open_method):
    if Path(path).exists():
        raise AssertionError(f"{path} was parsed as JSON")
