"""`zappa deploy dev` (and its worker) end to end through Zappa's own code, against the moto
server on loopback; then `zappa undeploy`. Only two things differ from a real deploy, both in
a generated settings file: no `touch` (moto cannot run the function to answer it) and the
worker's layer ARN, which is the ffmpeg layer published to the emulated account."""

import subprocess

import boto3
import pytest

from tests.deploy import lambda_runtime as runtime
from tests.deploy.conftest import WEB, WORKER, emulated_settings
from tests.deploy.lambda_runtime import CREDENTIALS

pytestmark = pytest.mark.slow

MEDIA_BUCKET = "pettube-dev-media"
DEPLOY_BUCKET = runtime.stage_settings(WEB)["s3_bucket"]


def zappa(*arguments: str, endpoint: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(runtime.ZAPPA), *arguments],
        cwd=runtime.PROJECT,
        env=runtime.zappa_environment(AWS_ENDPOINT_URL=endpoint, **CREDENTIALS),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, f"zappa {' '.join(arguments)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def test_zappa_deploy_dev_creates_the_functions_api_schedule_and_upload_trigger(builds, emulated_aws, tmp_path):
    endpoint = emulated_aws["AWS_ENDPOINT_URL"]
    aws = boto3.session.Session(region_name="us-east-1")
    lambda_client = aws.client("lambda", endpoint_url=endpoint)
    # The layer is over the 50 MB of a direct upload: it goes through S3, as docs/DEPLOY.md says.
    s3 = aws.client("s3", endpoint_url=endpoint)
    s3.create_bucket(Bucket=DEPLOY_BUCKET)
    s3.upload_file(str(builds.layer), DEPLOY_BUCKET, "ffmpeg-layer.zip")
    layer_arn = lambda_client.publish_layer_version(
        LayerName="pettube-ffmpeg",
        Content={"S3Bucket": DEPLOY_BUCKET, "S3Key": "ffmpeg-layer.zip"},
        CompatibleRuntimes=["python3.12"],
    )["LayerVersionArn"]
    settings = emulated_settings(
        tmp_path / "zappa_settings.json", {WEB: {"touch": False}, WORKER: {"layers": [layer_arn]}}
    )

    web = zappa("deploy", WEB, "-s", str(settings), endpoint=endpoint)
    zappa("deploy", WORKER, "-s", str(settings), endpoint=endpoint)

    assert "Deployment complete" in web.stdout
    functions = {f["FunctionName"]: f for f in lambda_client.list_functions()["Functions"]}
    assert set(functions) == {"pettube-dev", "pettube-dev-worker"}
    web_function, worker = functions["pettube-dev"], functions["pettube-dev-worker"]
    assert web_function["Runtime"] == worker["Runtime"] == "python3.12"
    assert web_function["Handler"] == "pettube.lambda_web.lambda_handler"  # Zappa's, the GC paused until it answers
    assert worker["Handler"] == "handler.lambda_handler"
    assert [layer["Arn"] for layer in worker.get("Layers", [])] == [layer_arn]
    assert not web_function.get("Layers")
    assert (worker["Timeout"], worker["MemorySize"]) == (900, 3008)

    apis = aws.client("apigateway", endpoint_url=endpoint).get_rest_apis()["items"]
    assert [api["name"] for api in apis] == ["pettube-dev"]
    stages = aws.client("apigateway", endpoint_url=endpoint).get_stages(restApiId=apis[0]["id"])["item"]
    assert [stage["stageName"] for stage in stages] == ["dev"]
    cloudformation = aws.client("cloudformation", endpoint_url=endpoint)
    stack_resources = cloudformation.describe_stack_resources(StackName="pettube-dev")["StackResources"]
    assert "AWS::ApiGateway::RestApi" in {resource["ResourceType"] for resource in stack_resources}

    events = aws.client("events", endpoint_url=endpoint)
    sweep_rules = [rule for rule in events.list_rules()["Rules"] if rule["Name"].endswith("videos.events.sweep")]
    assert [rule["ScheduleExpression"] for rule in sweep_rules] == ["rate(5 minutes)"]
    targets = events.list_targets_by_rule(Rule=sweep_rules[0]["Name"])["Targets"]
    assert [target["Arn"] for target in targets] == [worker["FunctionArn"]]

    notification = s3.get_bucket_notification_configuration(Bucket=MEDIA_BUCKET)
    (upload_trigger,) = notification["LambdaFunctionConfigurations"]
    assert upload_trigger["LambdaFunctionArn"] == worker["FunctionArn"]
    assert upload_trigger["Events"] == ["s3:ObjectCreated:*"]
    assert upload_trigger["Filter"]["Key"]["FilterRules"] == [{"Name": "prefix", "Value": "uploads/"}]

    zappa("undeploy", WORKER, "-s", str(settings), "--yes", endpoint=endpoint)
    zappa("undeploy", WEB, "-s", str(settings), "--yes", endpoint=endpoint)

    assert lambda_client.list_functions()["Functions"] == []
    # Zappa removes the API by deleting its stack (moto keeps the REST API of a deleted stack).
    assert _stack_status(cloudformation, "pettube-dev") in {None, "DELETE_COMPLETE"}
    assert not [rule for rule in events.list_rules()["Rules"] if rule["Name"].startswith("pettube-dev")]
    notification = s3.get_bucket_notification_configuration(Bucket=MEDIA_BUCKET)
    assert not notification.get("LambdaFunctionConfigurations")


def _stack_status(cloudformation, name: str) -> str | None:
    try:
        return cloudformation.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"]
    except cloudformation.exceptions.ClientError:
        return None
