"""Loaded by pytest before Django (`-p parindex.testenv` in pyproject): test-only environment defaults.

Settings refuse to start without a secret outside DEBUG, and tests run as production would.
"""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("STATIC_MANIFEST", "0")
os.environ.setdefault("WHITENOISE_USE_FINDERS", "1")
# Static files come from the finders in tests; an empty folder keeps whitenoise quiet.
os.environ.setdefault("STATIC_ROOT", tempfile.mkdtemp(prefix="parindex-static-"))
# Evidence files written by tests go to a throwaway folder.
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="parindex-media-"))
# Background tasks run in the request in tests, so that their effects can be asserted.
os.environ.setdefault("TASKS_BACKEND", "immediate")
