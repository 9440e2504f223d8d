"""What a cold start does not import: the one way PetTube defers a module until it is used.

A web function's cold start answers one request (often an anonymous `GET /`), but Django imports
every app's models, `ready()` and, for the first URL it resolves or reverses, the whole URLconf.
Modules named only here are imported by the first request that needs them instead:

- `view("app.views.name")` in a URLconf: resolving and reversing read only the patterns; the
  view's module is imported when a request reaches it (a class-based view: `view(path,
  **initkwargs)`, its `as_view()` then; a class whose instances are views, such as a syndication
  Feed: an instance).
- `module("app.services")` in an app's `seams.py` (or any module the start-up imports): a module
  whose attributes import it when first read (importlib's LazyLoader), so registering into a
  seam costs nothing until the seam is used.

tests/test_lambda_web.py checks what an anonymous `GET /` leaves out (the SDK's service models
beyond DynamoDB and S3, the PostgreSQL driver, PIL, the encoder, the apps' services and APIs);
docs/DEPLOY.md ("Fast cold starts") has the numbers.
"""

import functools
import importlib.util
import sys
from types import ModuleType

from django.utils.module_loading import import_string


def module(name: str) -> ModuleType:
    """The module `name`, imported when one of its attributes is first read."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    spec.loader = importlib.util.LazyLoader(spec.loader)
    lazy = importlib.util.module_from_spec(spec)
    sys.modules[name] = lazy
    spec.loader.exec_module(lazy)
    return lazy


class LazyView:
    """A URLconf's view named by its dotted path (see `view`). Django reads a view's name and
    module to describe the URL (no import); anything else it asks of the view (`csrf_exempt`,
    for example) is asked of the real one, imported then."""

    def __init__(self, path: str, initkwargs: dict):
        self._path = path
        self._initkwargs = initkwargs
        self.__module__, self.__name__ = path.rsplit(".", 1)
        self.__qualname__ = self.__name__

    @functools.cached_property
    def _view(self):
        target = import_string(self._path)
        if hasattr(target, "as_view"):  # a class-based view
            return target.as_view(**self._initkwargs)
        return target(**self._initkwargs) if isinstance(target, type) else target  # a view class (a Feed)

    def __call__(self, request, *args, **kwargs):
        return self._view(request, *args, **kwargs)

    def __getattr__(self, name: str):
        if name.startswith("_") or name == "view_class":  # Django's questions about the name only
            raise AttributeError(name)
        return getattr(self._view, name)

    def __repr__(self) -> str:
        return f"<view {self._path}>"


def view(path: str, **initkwargs) -> LazyView:
    return LazyView(path, initkwargs)
