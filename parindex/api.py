"""The versioned JSON API (/api/v1/), with its OpenAPI 3 schema at /api/v1/openapi.json."""

from ninja import NinjaAPI
from ninja.security import HttpBearer

from accounts.tokens import user_for_key


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_key(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(title="parindex API", version="1", urls_namespace="api-1", auth=BearerToken())
