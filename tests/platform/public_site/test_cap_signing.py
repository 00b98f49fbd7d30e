"""CAP messages carry an enveloped XML signature by the operator's key: still valid CAP 1.2,
verifiable with the certificate, and any change to the signed message is found."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from cap_schema import assert_valid_cap
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from django.test import Client
from flows import in_force
from lxml import etree
from signxml.exceptions import InvalidSignature

from conftest import Staff
from hazeguard_platform.cap_signing import cap_verify

pytestmark = pytest.mark.django_db
DSIG = "{http://www.w3.org/2000/09/xmldsig#}Signature"


def _key_pair(folder: Path, key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> bytes:
    """A self-signed certificate for ``key``; both written as PEM files in ``folder``."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "HazeGuard CAP test")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    (folder / "cap.key").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    pem = certificate.public_bytes(serialization.Encoding.PEM)
    (folder / "cap.crt").write_bytes(pem)
    return pem


def _message(client: Client) -> bytes:
    feed = etree.fromstring(client.get("/cap/feed.atom").content)
    hrefs = [link.get("href") for link in feed.iter("{http://www.w3.org/2005/Atom}link")]
    city = next(h for h in hrefs if h and "/cap/hazeguard-liaocheng-w" in h)
    return bytes(client.get(city).content)


@pytest.mark.parametrize("kind", ["rsa", "ecdsa"])
def test_a_cap_message_is_signed_valid_and_any_change_is_found(
    kind: str,
    liaocheng: Staff,
    clock: time_machine.Coordinates,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if kind == "rsa"
        else ec.generate_private_key(ec.SECP256R1())
    )
    certificate = _key_pair(tmp_path, key)
    monkeypatch.setenv("HAZEGUARD_CAP_KEY_FILE", str(tmp_path / "cap.key"))
    monkeypatch.setenv("HAZEGUARD_CAP_CERT_FILE", str(tmp_path / "cap.crt"))
    in_force(liaocheng, clock)
    signed = _message(Client())
    alert = assert_valid_cap(signed)  # the signature is CAP 1.2's allowed last element
    assert alert[-1].tag == DSIG
    assert b"<status>Actual</status>" in cap_verify(signed, certificate)
    forged = signed.replace(b"<status>Actual</status>", b"<status>Exercise</status>")
    with pytest.raises(InvalidSignature):
        cap_verify(forged, certificate)


def test_without_a_key_messages_go_out_unsigned(
    liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    in_force(liaocheng, clock)
    assert b"xmldsig" not in _message(Client())
