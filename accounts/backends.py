"""The backend recorded in a session whose login passed every step (accounts/views.py).

It authenticates nothing by itself: the password is checked by Django's ModelBackend, the code by
accounts/twofactor.py, and only then does the login view call `login(..., backend=TWO_STEP_BACKEND)`.
The middleware refuses a session of an enrolled user that was opened by another backend (for example a
password-only login somewhere else), so two-factor login cannot be skipped by a path that forgets it.
"""

from django.contrib.auth.backends import ModelBackend

TWO_STEP_BACKEND = "accounts.backends.TwoStepBackend"


class TwoStepBackend(ModelBackend):
    def authenticate(self, request, **credentials):
        return None
