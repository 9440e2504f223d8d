"""Error pages: JSON under /api/, the site's HTML elsewhere."""

from django.views import defaults

from pettube.api import error


def _json_or(html_view, status: int, message: str):
    def view(request, exception=None):
        if request.path.startswith("/api/"):
            return error(status, message)
        if exception is None:
            return html_view(request)
        return html_view(request, exception)

    return view


bad_request = _json_or(defaults.bad_request, 400, "Bad request.")
permission_denied = _json_or(defaults.permission_denied, 403, "Forbidden.")
not_found = _json_or(defaults.page_not_found, 404, "Not found.")
server_error = _json_or(defaults.server_error, 500, "Something went wrong on our side.")
