"""Evidence on an S3-compatible store (docs/scaling.md): stored, read back and served through the same
permission-checked view, with django-storages against moto's in-process S3."""

import boto3
import pytest
from moto import mock_aws

from assessments import services
from conftest import item_of

from .helpers import PDF, upload

BUCKET = "parindex-evidence"


@pytest.fixture
def s3(settings, monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=BUCKET)
        settings.STORAGES = settings.STORAGES | {
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": BUCKET,
                    "region_name": "us-east-1",
                    "default_acl": None,
                    "file_overwrite": False,
                },
            }
        }
        yield boto3.client("s3", region_name="us-east-1")


def test_evidence_goes_to_the_bucket_and_is_served_through_the_view(
    client, s3, officer_a, officer_b, assessment_a
):
    item = item_of(assessment_a, "1.5")
    evidence = services.add_evidence_file(officer_a, item, upload(PDF, "quyet-dinh.pdf"))
    stored = s3.get_object(Bucket=BUCKET, Key=evidence.file.name)["Body"].read()
    assert stored == PDF  # in the bucket, not on the local disk
    client.force_login(officer_a)
    response = client.get(f"/assessments/evidence/{evidence.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    client.force_login(officer_b)  # another unit: the same 404 as with local files
    assert client.get(f"/assessments/evidence/{evidence.pk}/").status_code == 404
