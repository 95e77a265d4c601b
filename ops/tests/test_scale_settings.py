"""Scale-out settings: the read replica for publications and the S3-compatible file store, both off
unless configured."""

import pytest

from ops.db_router import PublicReplicaRouter
from parindex.tests.test_settings import run_django
from results.models import Publication, UnitResult

PROBE = (
    "from django.conf import settings; from django.core.files.storage import storages;"
    "from results.models import Publication, UnitResult;"
    "print(sorted(settings.DATABASES), type(storages['default']).__name__,"
    " Publication.objects.all().db, UnitResult.objects.all().db)"
)


def test_the_router_sends_only_publication_reads_to_the_replica():
    router = PublicReplicaRouter()
    assert router.db_for_read(Publication) == "replica"
    assert router.db_for_read(UnitResult) is None
    assert router.db_for_write(Publication) == "default"
    assert router.allow_migrate("replica", "results") is False
    assert router.allow_migrate("default", "results") is True


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "['default'] FileSystemStorage default default"),
        (
            {"DATABASE_REPLICA_URL": "sqlite:////tmp/parindex-replica.sqlite3"},
            "['default', 'replica'] FileSystemStorage replica default",
        ),
        (
            {"S3_BUCKET": "parindex-evidence", "S3_ENDPOINT_URL": "http://127.0.0.1:9000"},
            "['default'] S3Storage default default",
        ),
    ],
)
def test_replica_and_s3_are_off_unless_configured(env, expected):
    result = run_django(["shell", "-c", PROBE], DEBUG="1", **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected
