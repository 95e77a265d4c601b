"""The versioned JSON API (/api/v1/), with its OpenAPI 3 schema at /api/v1/openapi.json.

A bearer token acts as the user who owns it (decision 13): every permission rule of the screens
applies unchanged. Errors answer JSON {"detail": "…"}; see docs/api.md.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from accounts.tokens import TokenRefused, user_for_key
from assessments.api import router as assessments_router
from plans.api import router as plans_router
from reporting.api import router as reporting_router
from results.api import indices_router
from results.api import router as results_router
from results.api_assistant import router as assistant_router
from results.api_sipas import router as sipas_router
from surveys.api import router as surveys_router


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        try:
            user = user_for_key(token)
        except TokenRefused as refused:
            request.token_refused = str(refused)  # the 401 below says why
            return None
        if user is not None:
            request.user = user
        return user


class TokenOrPublic(BearerToken):
    """A bearer token when one is given (refused like everywhere else when it is wrong); without
    one, an anonymous visitor (never the browser's session): the assistant then answers only from
    what the public sees."""

    def __call__(self, request):
        if not request.headers.get(self.header):
            request.user = AnonymousUser()
            return request.user
        return super().__call__(request)


api = NinjaAPI(
    title="parindex API: assessments, plans, periodic reports and surveys",
    version="1",
    description="Đọc và ghi bản tự đánh giá Chỉ số CCHC bằng khoá API (Bearer). Xem docs/api.md.",
    urls_namespace="api-1",
    auth=BearerToken(),
)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    detail = getattr(request, "token_refused", None) or (
        "Thiếu khoá API, hoặc khoá không đúng, đã hết hạn hay đã bị thu hồi."
    )
    response = api.create_response(request, {"detail": detail}, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    detail = str(exc) or "Bạn không có quyền thực hiện thao tác này."
    return api.create_response(request, {"detail": detail}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    # Never the exception's text: it could name what the user may not see.
    return api.create_response(request, {"detail": "Không tìm thấy."}, status=404)


api.add_router("/assessments/", assessments_router)
api.add_router("/plans/", plans_router)
api.add_router("/reports/", reporting_router)
api.add_router("/results/", results_router)
api.add_router("/indices", indices_router)
api.add_router("/surveys/", surveys_router)
api.add_router("/assistant/", assistant_router, auth=TokenOrPublic())
api.add_router("/sipas", sipas_router)
