"""The only code that talks to Amazon SES (API v2): sends finished MIME messages, and makes sure
the sender identity exists."""

from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage

from pettube import aws


def client():
    return aws.client("sesv2")


def mime(message: EmailMessage) -> bytes:
    """`message` as SES gets it (raw MIME, so its List-Unsubscribe headers go along); ValueError
    when Django refuses a header (a line break in it)."""
    return message.message().as_bytes()


def send(message: EmailMessage, raw: bytes) -> str:
    """Hand `raw` (`message`'s MIME) to SES once; returns SES's message id. The call is not
    repeated by botocore: SendEmail has no idempotency token, so a repeat after a timeout could
    send the email twice; the outbox decides what to do instead (notifications/services.py)."""
    answer = aws.client("sesv2", retries=0).send_email(
        FromEmailAddress=message.from_email,
        Destination={"ToAddresses": list(message.to)},
        Content={"Raw": {"Data": raw}},
    )
    return answer["MessageId"]


def ensure_sender() -> None:
    """Create the sender's SES identity (PETTUBE_EMAIL_FROM's address) if missing. On AWS, SES
    then mails that address a verification link; a domain identity is set up as docs/DEPLOY.md says."""
    address = parseaddr(settings.PETTUBE_EMAIL_FROM)[1]
    ses = client()
    try:
        ses.get_email_identity(EmailIdentity=address)
    except ses.exceptions.NotFoundException:
        ses.create_email_identity(EmailIdentity=address)
