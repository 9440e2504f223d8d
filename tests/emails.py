"""The emails the app sent through the embedded SES, as moto keeps them (its /moto-api/data.json
lists each raw message SES accepted)."""

import email
import email.policy
import json
import urllib.request
from email.message import EmailMessage


def sent(endpoint: str) -> list[EmailMessage]:
    with urllib.request.urlopen(f"{endpoint}/moto-api/data.json", timeout=30) as answer:
        data = json.loads(answer.read())
    return [
        email.message_from_string(message["raw_data"], policy=email.policy.default)
        for message in data.get("ses", {}).get("RawMessage", [])
    ]


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def to(messages: list[EmailMessage], address: str) -> list[EmailMessage]:
    return [message for message in messages if address in message["To"]]
