"""The API (/api/v1/...) and the pages for API tokens (/api/tokens/...)."""

from django.urls import path, re_path, register_converter

from . import token_views, views


class IdConverter:
    """A database id: digits that fit in a 64-bit key, else no match (so JSON 404, not 500)."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 0 < number < 2**63:
            raise ValueError("not an id")
        return number

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "api_id")

app_name = "api"

urlpatterns = [
    path("tokens/", token_views.token_list, name="tokens"),
    path("tokens/new/", token_views.new_token, name="new-token"),
    path("tokens/<api_id:token_id>/revoke/", token_views.revoke_token, name="revoke-token"),
    path("v1/openapi.json", views.openapi, name="openapi"),
    path("v1/partnerships", views.partnerships, name="partnerships"),
    path("v1/partnerships/<api_id:partnership_id>", views.partnership, name="partnership"),
    path("v1/partnerships/<api_id:partnership_id>/rounds", views.rounds, name="rounds"),
    path(
        "v1/partnerships/<api_id:partnership_id>/rounds/<api_id:round_id>/result",
        views.round_result,
        name="result",
    ),
    # Anything else under the API is a JSON 404, not the site's HTML page.
    # [\s\S], not ".": an address with a newline in it is still the API's, answered in JSON.
    re_path(r"^v1/(?P<path>[\s\S]*)$", views.not_found),
]
