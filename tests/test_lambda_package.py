"""The package callback's cut of the AWS SDK, on a small stand-in for boto3's files."""

import gzip
import json

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
