"""RSA signatures for CloudFront (PKCS #1 v1.5 with SHA-1, what CloudFront's signed cookies and
URLs require), in plain Python. Pure functions; no Django, no AWS.

Why not `cryptography`: the Lambda package leaves it out (deploy/lambda_package.py), because
PyJWT imports it whenever it is present and that costs ~20 ms of every cold start, for pages
that sign nothing. Signing is one modular exponentiation; the tests check each signature this
module makes against `cryptography`'s verifier and its own signer. The exponentiation is blinded
(RFC 8017 section 5.1.2's advice), so its timing says nothing about the key.
"""

import base64
import hashlib
import re
import secrets
from dataclasses import dataclass

# DER of the DigestInfo prefix for SHA-1 (RFC 8017, section 9.2, note 1).
_SHA1_DIGEST_INFO = bytes.fromhex("3021300906052b0e03021a05000414")
_PEM = re.compile(r"-----BEGIN (?P<label>[A-Z ]+)-----(?P<body>.+?)-----END (?P=label)-----", re.S)
_RSA_OID = bytes.fromhex("06092a864886f70d010101")  # rsaEncryption, 1.2.840.113549.1.1.1
_RSA_ENCRYPTION = _RSA_OID + b"\x05\x00"  # its AlgorithmIdentifier's body: the OID and NULL


class InvalidKey(ValueError):
    """The text is not an RSA private key in PEM (PKCS #1 or unencrypted PKCS #8)."""


@dataclass(frozen=True)
class PrivateKey:
    n: int
    e: int
    d: int

    @property
    def size(self) -> int:
        return (self.n.bit_length() + 7) // 8

    def sign_sha1(self, message: bytes) -> bytes:
        """The RSASSA-PKCS1-v1_5 signature of `message` with SHA-1."""
        digest_info = _SHA1_DIGEST_INFO + hashlib.sha1(message).digest()
        padding = self.size - len(digest_info) - 3
        if padding < 8:
            raise InvalidKey("the key is too short to sign with")
        encoded = int.from_bytes(b"\x00\x01" + b"\xff" * padding + b"\x00" + digest_info)
        blind = secrets.randbelow(self.n - 2) + 2
        blinded = pow(pow(blind, self.e, self.n) * encoded % self.n, self.d, self.n)
        return (blinded * pow(blind, -1, self.n) % self.n).to_bytes(self.size)

    def public_pem(self) -> str:
        """The public half as a PEM SubjectPublicKeyInfo, what CloudFront's CreatePublicKey takes."""
        public = _der(0x30, _integer(self.n) + _integer(self.e))
        info = _der(0x30, _der(0x30, _RSA_ENCRYPTION) + _der(0x03, b"\x00" + public))
        body = base64.encodebytes(info).decode().replace("\n", "")
        lines = [body[start:start + 64] for start in range(0, len(body), 64)]
        return "\n".join(["-----BEGIN PUBLIC KEY-----", *lines, "-----END PUBLIC KEY-----"]) + "\n"


def private_key(pem: str) -> PrivateKey:
    """Read an RSA private key from PEM text (`openssl genrsa` writes PKCS #1, `openssl genpkey`
    PKCS #8). Raises InvalidKey for anything else."""
    match = _PEM.search(pem.replace("\\n", "\n"))  # a key pasted into one environment variable line
    if match is None or match["label"] not in {"RSA PRIVATE KEY", "PRIVATE KEY"}:
        raise InvalidKey("expected a PEM 'RSA PRIVATE KEY' or 'PRIVATE KEY'")
    try:
        der = base64.b64decode("".join(match["body"].split()), validate=True)
        if match["label"] == "PRIVATE KEY":  # PKCS #8: version, algorithm, the PKCS #1 key in an OCTET STRING
            version, algorithm, wrapped = _sequence(der)
            if not algorithm[1].startswith(_RSA_OID) or wrapped[0] != 0x04:
                raise InvalidKey("not an RSA key")
            der = wrapped[1]
        _, n, e, d, *_ = (_int(value) for _, value in _elements(_sequence_body(der)))
    except (ValueError, IndexError) as error:
        raise InvalidKey(f"unreadable key: {error}") from None
    return PrivateKey(n=n, e=e, d=d)


# --- the little DER this needs --------------------------------------------------------------


def _read(der: bytes, at: int) -> tuple[int, bytes, int]:
    """The element at `at`: its tag, its value and where the next one starts."""
    tag, length, at = der[at], der[at + 1], at + 2
    if length & 0x80:
        count = length & 0x7F
        length, at = int.from_bytes(der[at:at + count]), at + count
    if at + length > len(der):
        raise ValueError("truncated DER")
    return tag, der[at:at + length], at + length


def _elements(body: bytes) -> list[tuple[int, bytes]]:
    elements, at = [], 0
    while at < len(body):
        tag, value, at = _read(body, at)
        elements.append((tag, value))
    return elements


def _sequence_body(der: bytes) -> bytes:
    tag, value, _ = _read(der, 0)
    if tag != 0x30:
        raise ValueError("expected a SEQUENCE")
    return value


def _sequence(der: bytes) -> list[tuple[int, bytes]]:
    return _elements(_sequence_body(der))


def _int(value: bytes) -> int:
    return int.from_bytes(value)


def _der(tag: int, value: bytes) -> bytes:
    length = len(value)
    if length < 0x80:
        return bytes([tag, length]) + value
    size = (length.bit_length() + 7) // 8
    return bytes([tag, 0x80 | size]) + length.to_bytes(size) + value


def _integer(value: int) -> bytes:
    return _der(0x02, value.to_bytes(value.bit_length() // 8 + 1))
