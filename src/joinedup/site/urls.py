"""The site's URLs: each app brings its own."""

from django.urls import include, path
from django.views.generic import RedirectView, TemplateView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="partnerships:list"), name="home"),
    # First: respondents' survey pages are the busiest, and URLs are tried in order.
    path("", include("joinedup.surveys.urls")),
    path("", include("joinedup.accounts.urls")),
    path("partnerships/", include("joinedup.partnerships.urls")),
    path("", include("joinedup.results.urls")),
    path("api/", include("joinedup.api.urls")),
    path("", include("joinedup.actions.urls")),
    path("", include("joinedup.outbox.urls")),
    path("toolkit/", include("joinedup.toolkit.urls")),
    path("", include("joinedup.updates.urls")),
    path("privacy/", TemplateView.as_view(template_name="privacy.html"), name="privacy"),
    path(
        "accessibility/",
        TemplateView.as_view(template_name="accessibility.html"),
        name="accessibility",
    ),
]

handler403 = "joinedup.site.errors.forbidden"
handler404 = "joinedup.site.errors.not_found"
handler500 = "joinedup.site.errors.server_error"
