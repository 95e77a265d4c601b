"""Security finding (issue 15): one response per dossier was bypassed with full-width characters
(`ＨＳ-PT-0001` after `HS-PT-0001`), as codes were hashed without NFKC. Replays it on the web and the
API, and checks that the hashes of codes issued before the change still match."""

import hashlib
import hmac
import string

from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from surveys import services
from surveys.hashing import normalise_code
from surveys.models import Response

from .conftest import good_answers
from .test_api import body, post, url
from .test_pages import post_answers

ASCII = "HS-PT-0001"
FULL_WIDTH = "ＨＳ-PT-０００１"  # as pasted from a Vietnamese IME in full-width mode
FULL_WIDTH_DASHED = "ＨＳ－ＰＴ－０００１"  # the full-width hyphen too


def full_width(text: str) -> str:
    """ASCII letters, digits and "-" as their full-width forms (U+FF01…U+FF5E)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def _old_hash(kind: str, value: str) -> str:
    """The hash as stored before normalising existed (strip, upper-case, HMAC)."""
    secret = settings.SURVEY_HASH_KEY or settings.SECRET_KEY
    key = hashlib.sha256(f"parindex-surveys:{kind}:{secret}".encode()).digest()
    return hmac.digest(key, value.strip().upper().encode(), "sha256").hex()


# ------------------------------------------------------------------ the normal form


def test_full_width_dashes_and_spaces_fold_into_the_printed_code():
    assert normalise_code(FULL_WIDTH) == ASCII
    assert normalise_code(FULL_WIDTH_DASHED) == ASCII
    assert (
        normalise_code("hs\u2013pt\u2212０００１\u3000") == ASCII
    )  # en dash, minus, ideographic space
    assert normalise_code("HS\u00a0PT") == "HS PT"  # a no-break space is a space


def test_codes_already_issued_keep_their_stored_hash():
    for code in ("ABCD-EFGH", "000.00.26.H26-250101-0001", ASCII, " hs-pt-0001 ", "HS 12/ab"):
        for kind in ("code", "dossier"):
            assert services.keyed_hash(kind, code) == _old_hash(kind, code)
    assert services.keyed_hash("dossier", FULL_WIDTH) == _old_hash("dossier", ASCII)


@given(st.text())
def test_normalising_is_idempotent(text):
    once = normalise_code(text)
    assert normalise_code(once) == once


@given(st.text(alphabet=string.printable))
def test_ascii_codes_are_unchanged_but_for_ends_and_case(text):
    assert normalise_code(text) == text.strip().upper()


@given(st.text(alphabet=string.ascii_letters + string.digits + "-./", min_size=1))
def test_a_full_width_code_is_its_ascii_twin(text):
    assert normalise_code(full_width(text)) == text.upper()


# ------------------------------------------------------------------ replayed on the web and the API


def test_web_full_width_dossier_after_the_ascii_one_is_a_duplicate(client, wave, unit_a):
    page = f"/khao-sat/{wave.pk}/00070/"
    first, _ = post_answers(client, page, good_answers(), channel="dossier", dossier=ASCII)
    assert first.status_code == 302
    for twin in (FULL_WIDTH, FULL_WIDTH_DASHED):
        again, _ = post_answers(client, page, good_answers(), channel="dossier", dossier=twin)
        assert again.status_code == 400
        assert "Hồ sơ này đã được đánh giá." in again.content.decode()
    assert Response.objects.count() == 1


def test_api_full_width_dossier_after_the_ascii_one_is_a_duplicate(client, wave, unit_a):
    assert post(client, url(wave), body(dossier=ASCII)).status_code == 201
    again = post(client, url(wave), body(dossier=FULL_WIDTH), client_name="another phone")
    assert again.status_code == 400
    assert again.json() == {"detail": ["Hồ sơ này đã được đánh giá."]}
    # and the other way round: the full-width first, the ASCII one refused
    assert post(client, url(wave), body(dossier=full_width("HS-PT-0002"))).status_code == 201
    assert post(client, url(wave), body(dossier="hs-pt-0002")).status_code == 400
    assert Response.objects.count() == 2


def test_full_width_invitation_code_is_accepted_as_its_ascii_twin_once(
    client, secretariat, wave, unit_a
):
    code = services.generate_invitations(secretariat, wave, unit_a, 1)[0]
    typed = full_width(code).lower().replace(full_width("-"), "\u2013")  # ａｂｃｄ–ｅｆｇｈ
    entered = client.post("/khao-sat/ma/", {"code": typed})
    assert entered.status_code == 302 and f"ma={code}" in entered["Location"]
    done, _ = post_answers(
        client, f"/khao-sat/{wave.pk}/00070/?kenh=code", good_answers(), channel="code", code=typed
    )
    assert done.status_code == 302
    assert Response.objects.get().invitation.used_at is not None
    # Used once: neither the ASCII code nor its full-width twin is taken again.
    for again in (code, typed):
        used = client.post("/khao-sat/ma/", {"code": again})
        assert used.status_code == 400 and "đã được dùng" in used.content.decode()
        second, _ = post_answers(
            client,
            f"/khao-sat/{wave.pk}/00070/?kenh=code",
            good_answers(),
            channel="code",
            code=again,
        )
        assert second.status_code == 400 and "đã được dùng" in second.content.decode()
    assert Response.objects.count() == 1
