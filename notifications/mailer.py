"""The only code that talks to Amazon SES (API v2): sends finished MIME messages, and makes sure
the sender identity exists."""

from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage

from pettube import aws


def client():
    return aws.client("sesv2")


def send(message: EmailMessage) -> str:
    """Send `message` as it is (raw MIME, so its List-Unsubscribe headers go along); returns
    SES's message id."""
    answer = client().send_email(
        FromEmailAddress=message.from_email,
        Destination={"ToAddresses": list(message.to)},
        Content={"Raw": {"Data": message.message().as_bytes()}},
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
