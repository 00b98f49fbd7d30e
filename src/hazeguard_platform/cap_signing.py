"""CAP messages signed with the operator's key: an enveloped XML signature (XML-DSig, RSA-SHA256
or ECDSA-SHA256, with the X.509 certificate inside ``KeyInfo``), as CAP 1.2 §3.3.2.1 allows as
the last element of ``alert`` and WMO's ``capvalidator`` checks. signxml does the signing.

Settings (environment): ``HAZEGUARD_CAP_KEY_FILE`` (PEM private key) and
``HAZEGUARD_CAP_CERT_FILE`` (PEM certificate, or a chain); both or neither. Without them messages
go out unsigned, as before. Rotation: put the new key and certificate in new files, point the
variables at them and restart; messages are signed on every request, so every message, old ones
included, carries the new signature from then on (docs/security.md).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.exceptions import ImproperlyConfigured
from lxml import etree
from signxml.algorithms import DigestAlgorithm, SignatureConstructionMethod
from signxml.exceptions import InvalidSignature
from signxml.signer import XMLSigner
from signxml.verifier import VerifyResult, XMLVerifier

from hazeguard_platform.env import env_str


@lru_cache(maxsize=1)
def _key_and_certificate(key_file: str, cert_file: str) -> tuple[bytes, bytes]:
    try:
        return Path(key_file).read_bytes(), Path(cert_file).read_bytes()
    except OSError as error:
        raise ImproperlyConfigured(f"CAP signing key or certificate: {error}") from None


def _algorithm(key: bytes) -> str:
    """``ecdsa-sha256`` for an elliptic-curve key, ``rsa-sha256`` for an RSA one."""
    loaded = serialization.load_pem_private_key(key, password=None)
    return "ecdsa-sha256" if isinstance(loaded, ec.EllipticCurvePrivateKey) else "rsa-sha256"


def cap_signing_files() -> tuple[str, str] | None:
    """The configured key and certificate files, or ``None`` when CAP is not signed."""
    key_file = env_str("HAZEGUARD_CAP_KEY_FILE", default="")
    cert_file = env_str("HAZEGUARD_CAP_CERT_FILE", default="")
    if bool(key_file) != bool(cert_file):
        raise ImproperlyConfigured(
            "set both HAZEGUARD_CAP_KEY_FILE and HAZEGUARD_CAP_CERT_FILE, or neither"
        )
    return (key_file, cert_file) if key_file else None


def cap_sign(xml: str) -> bytes:
    """The CAP message with an enveloped signature appended to ``alert`` (unchanged, as UTF-8,
    when no key is configured)."""
    files = cap_signing_files()
    if files is None:
        return xml.encode()
    key, certificate = _key_and_certificate(*files)
    root = etree.fromstring(xml.encode())
    signer = XMLSigner(
        method=SignatureConstructionMethod.enveloped,
        signature_algorithm=_algorithm(key),
        digest_algorithm=DigestAlgorithm.SHA256,
    )
    signed = signer.sign(root, key=key, cert=certificate.decode())
    return bytes(etree.tostring(signed, xml_declaration=True, encoding="UTF-8"))


def cap_verify(xml: bytes, certificate: bytes) -> bytes:
    """The signed content of a message if its signature checks against ``certificate``;
    ``signxml.exceptions.InvalidSignature`` otherwise."""
    result = XMLVerifier().verify(xml, x509_cert=certificate.decode())
    # One reference is expected, so one result; signxml types it as possibly a list.
    if not isinstance(result, VerifyResult) or result.signed_xml is None:
        raise InvalidSignature("a CAP message has exactly one signed element")
    return bytes(etree.tostring(result.signed_xml))
