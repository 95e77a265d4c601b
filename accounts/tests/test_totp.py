"""The TOTP algorithm against the RFCs' test vectors, the QR address, and the sealing of secrets."""

import hashlib

import pytest

from accounts import secretbox, totp

RFC4226_SECRET = b"12345678901234567890"
# RFC 4226 appendix D: HOTP values for counters 0 to 9.
RFC4226_HOTP = [
    "755224",
    "287082",
    "359152",
    "969429",
    "338314",
    "254676",
    "287922",
    "162583",
    "399871",
    "520489",
]

# RFC 6238 appendix B: (Unix time, expected 8-digit TOTP) for each hash, with its seed.
SEEDS = {
    "sha1": (hashlib.sha1, b"12345678901234567890"),
    "sha256": (hashlib.sha256, b"12345678901234567890123456789012"),
    "sha512": (
        hashlib.sha512,
        b"1234567890123456789012345678901234567890123456789012345678901234",
    ),
}
RFC6238 = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]


@pytest.mark.parametrize(("counter", "expected"), list(enumerate(RFC4226_HOTP)))
def test_hotp_matches_rfc4226(counter, expected):
    assert totp.hotp(RFC4226_SECRET, counter) == expected


@pytest.mark.parametrize(("at", "sha1", "sha256", "sha512"), RFC6238)
def test_totp_matches_rfc6238(at, sha1, sha256, sha512):
    for name, expected in (("sha1", sha1), ("sha256", sha256), ("sha512", sha512)):
        digest, seed = SEEDS[name]
        assert totp.totp(seed, at, digits=8, digest=digest) == expected, name


def test_six_digit_default_is_the_tail_of_the_eight_digit_code():
    # What an authenticator app shows: SHA-1, 6 digits, 30 s.
    assert totp.totp(RFC4226_SECRET, 59) == "287082"
    assert totp.step_at(59) == 1 and totp.step_at(60) == 2


def test_a_code_is_accepted_one_step_either_side_and_not_further():
    secret = totp.new_secret()
    at = 1_700_000_000
    now = totp.step_at(at)
    for offset in (-1, 0, 1):
        assert totp.matching_step(secret, totp.hotp(secret, now + offset), at=at) == now + offset
    for offset in (-2, 2):
        assert totp.matching_step(secret, totp.hotp(secret, now + offset), at=at) is None


def test_a_code_of_a_step_already_used_or_earlier_is_refused():
    secret = totp.new_secret()
    at = 1_700_000_000
    now = totp.step_at(at)
    code = totp.hotp(secret, now)
    assert totp.matching_step(secret, code, at=at, after_step=now - 1) == now
    assert totp.matching_step(secret, code, at=at, after_step=now) is None
    assert totp.matching_step(secret, totp.hotp(secret, now - 1), at=at, after_step=now) is None


@pytest.mark.parametrize("bad", ["", "12345", "1234567", "abcdef", "12 34 5x"])
def test_malformed_codes_are_refused(bad):
    assert totp.matching_step(totp.new_secret(), bad) is None


def test_spaces_in_a_typed_code_are_ignored():
    secret = totp.new_secret()
    code = totp.totp(secret, 1_700_000_000)
    assert totp.matching_step(secret, f"{code[:3]} {code[3:]}", at=1_700_000_000) is not None


def test_provisioning_uri_is_what_authenticator_apps_read():
    uri = totp.provisioning_uri(b"\x00" * 20, "thuky", "Sở Nội vụ HN")
    assert uri.startswith("otpauth://totp/S%E1%BB%9F%20N%E1%BB%99i%20v%E1%BB%A5%20HN%3Athuky?")
    assert "secret=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" in uri
    assert "algorithm=SHA1" in uri and "digits=6" in uri and "period=30" in uri


def test_base32_round_trip_and_grouping():
    secret = totp.new_secret()
    assert totp.from_base32(totp.to_base32(secret)) == secret
    assert totp.from_base32(totp.grouped(secret).lower()) == secret
    assert len(totp.to_base32(secret)) == 32


def test_qr_code_is_an_inline_svg():
    svg = totp.qr_svg("otpauth://totp/x:y?secret=AAAA")
    assert svg.startswith("<svg") and "<path" in svg and "http" not in svg


def test_secretbox_round_trip_and_refusals(settings):
    secret = totp.new_secret()
    sealed = secretbox.seal(secret, "user:1")
    assert secret not in sealed.encode() and totp.to_base32(secret) not in sealed
    assert secretbox.open_sealed(sealed, "user:1") == secret
    with pytest.raises(secretbox.SecretBoxError):
        secretbox.open_sealed(sealed, "user:2")  # copied onto another account
    tampered = sealed[:-6] + ("A" if sealed[-6] != "A" else "B") + sealed[-5:]
    with pytest.raises(secretbox.SecretBoxError):
        secretbox.open_sealed(tampered, "user:1")
    settings.TWO_FACTOR_KEY = "another key"
    with pytest.raises(secretbox.SecretBoxError):
        secretbox.open_sealed(sealed, "user:1")
    # Two seals of one secret differ (fresh nonce): equal secrets are not visible as equal rows.
    assert secretbox.seal(secret, "user:1") != secretbox.seal(secret, "user:1")
