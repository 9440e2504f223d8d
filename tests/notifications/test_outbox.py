"""The outbox with a fault injected at each step of sending an email: a sender that dies
anywhere leaves the email to be tried again after its lease; SES gets it at most twice (twice
only when the sender died between handing it over and recording SES's answer, which SES gives
no way to find out), and nothing is tried in a loop."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from botocore.exceptions import EndpointConnectionError, ReadTimeoutError
from django.contrib.auth import get_user_model

from notifications import mailer, repository, services
from pettube import dynamo
from tests import emails, factories

AFTER_LEASE = services.SEND_LEASE + timedelta(seconds=1)


class WorkerDied(SystemExit):
    """The sender's process stops here (Lambda's timeout, a kill): nothing after it runs."""


def die(*args, **kwargs):
    raise WorkerDied("the worker died")


def before(function):
    return die


def after(function):
    def done_then_die(*args, **kwargs):
        function(*args, **kwargs)
        die()

    return done_then_die


# Where the sender dies, and how many copies of the email SES has in the end.
STEPS = {
    "claiming it": (repository, "claim", before, 1),
    "writing it": (services, "_compose", before, 1),
    "handing it over": (repository, "hand_over", before, 1),
    "after handing it over, before SES": (repository, "hand_over", after, 1),
    "after SES took it": (mailer, "send", after, 2),
    "recording that it was sent": (repository, "finish", before, 2),
}


@pytest.fixture
def uploader(db, settings):
    settings.PETTUBE_SITE_URL = "https://pettube.example.com"
    return get_user_model().objects.create_user(username="ana", first_name="Ana", email="ana@example.com")


def survive(deliver, **kwargs):
    """Run one sender; a sender that died is just gone (the outbox is what it left)."""
    try:
        return deliver(**kwargs)
    except WorkerDied:
        return None


def outcome(key: str) -> str:
    return dynamo.get(f"mail#{key}")["outcome"]["S"]


@pytest.mark.parametrize("step", list(STEPS))
def test_a_sender_that_dies_at_any_step_leaves_the_email_to_the_next_run(
    aws, moto_endpoint, uploader, monkeypatch, step
):
    module, name, fault, copies = STEPS[step]
    video = factories.ready(str(uploader.pk), title="Paws")
    monkeypatch.setattr(module, name, fault(getattr(module, name)))

    survive(services.video_ready, video=video)
    monkeypatch.undo()

    now = dynamo.now()
    if name != "claim":  # claimed a moment ago: another sender may still be at it
        assert services.deliver_due(now=now) == 0
    assert services.deliver_due(now=now + AFTER_LEASE) == 1
    assert services.deliver_due(now=now + timedelta(days=1)) == 0
    assert [m["Subject"] for m in emails.sent(moto_endpoint)] == ["Your video “Paws” is ready"] * copies
    assert outcome(f"ready#{video.id}") == repository.SENT


def test_senders_that_die_after_ses_took_it_send_it_twice_at_most(aws, moto_endpoint, uploader, monkeypatch):
    video = factories.ready(str(uploader.pk), title="Paws")
    monkeypatch.setattr(mailer, "send", after(mailer.send))

    survive(services.video_ready, video=video)
    for run in range(1, 10):
        survive(services.deliver_due, now=dynamo.now() + run * AFTER_LEASE)

    assert len(emails.sent(moto_endpoint)) == 2
    assert outcome(f"ready#{video.id}") == repository.GAVE_UP
    assert repository.due_mail(now=dynamo.now() + timedelta(days=30)) == []


def test_senders_that_keep_dying_before_sending_give_the_email_up(aws, moto_endpoint, uploader, monkeypatch):
    video = factories.ready(str(uploader.pk), title="Paws")
    monkeypatch.setattr(services, "_compose", die)

    survive(services.video_ready, video=video)
    for run in range(1, 10):
        survive(services.deliver_due, now=dynamo.now() + run * AFTER_LEASE)

    assert emails.sent(moto_endpoint) == []
    assert outcome(f"ready#{video.id}") == repository.GAVE_UP
    assert repository.due_mail(now=dynamo.now() + timedelta(days=30)) == []


def test_no_answer_from_ses_is_one_resend_and_a_refusal_is_retried(aws, moto_endpoint, uploader, monkeypatch):
    lost_answer, unreachable = factories.ready(str(uploader.pk), title="Lost"), factories.ready(str(uploader.pk))
    real_send = mailer.send

    def flaky(message, raw):
        if "Lost" in message.subject:  # SES took it, the answer never came back
            real_send(message, raw)
            raise ReadTimeoutError(endpoint_url="https://email.us-east-1.amazonaws.com")
        raise EndpointConnectionError(endpoint_url="https://email.us-east-1.amazonaws.com")  # never reached SES

    monkeypatch.setattr(mailer, "send", flaky)
    services.video_ready(video=lost_answer)
    services.video_ready(video=unreachable)
    for day in range(1, 10):
        services.deliver_due(now=dynamo.now() + timedelta(days=day))

    assert [m["Subject"] for m in emails.sent(moto_endpoint)] == ["Your video “Lost” is ready"] * 2
    assert outcome(f"ready#{lost_answer.id}") == repository.GAVE_UP
    mail = dynamo.get(f"mail#ready#{unreachable.id}")
    assert mail["outcome"]["S"] == repository.GAVE_UP and mail["attempts"]["N"] == str(services.MAX_SEND_ATTEMPTS)


def test_a_sender_whose_lease_ran_out_does_not_send(aws, moto_endpoint, uploader, monkeypatch):
    video = factories.ready(str(uploader.pk), title="Slow")
    real_compose = services._compose

    def slow_compose(mail):
        # This sender stalls past its lease; the scheduled run takes the email over and sends it.
        monkeypatch.setattr(services, "_compose", real_compose)
        assert services.deliver_due(now=dynamo.now() + AFTER_LEASE) == 1
        return real_compose(mail)

    monkeypatch.setattr(services, "_compose", slow_compose)
    services.video_ready(video=video)

    assert len(emails.sent(moto_endpoint)) == 1
    assert outcome(f"ready#{video.id}") == repository.SENT


def test_botocore_does_not_repeat_a_send_by_itself(aws, moto_endpoint, uploader, monkeypatch):
    from pettube import aws as aws_clients

    used = []

    def client(service, **options):
        used.append(aws_clients.client(service, **options))
        return used[-1]

    monkeypatch.setattr(mailer, "aws", SimpleNamespace(client=client))
    services.video_ready(video=factories.ready(str(uploader.pk)))

    assert len(emails.sent(moto_endpoint)) == 1
    (ses,) = used
    assert ses.meta.config.retries["total_max_attempts"] == 1
