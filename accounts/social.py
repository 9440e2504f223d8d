"""social_django as INSTALLED_APPS names it (`accounts.social.SocialAuthConfig`)."""

from django.apps import AppConfig
from social_core.registry import REGISTRY
from social_django.apps import PythonSocialAuthConfig


class SocialAuthConfig(PythonSocialAuthConfig):
    """social_django (INSTALLED_APPS names it through this), whose default strategy is made when
    first used rather than in ready(): making it imports social-core's strategy with its OpenID
    machinery, work a cold start answering an anonymous page never needs (pettube/lazy.py)."""

    def ready(self) -> None:
        AppConfig.ready(self)
        REGISTRY.default_strategy = _DefaultStrategy()


class _DefaultStrategy:
    """Stands in for social_django's default strategy (what a backend Django instantiates
    without one uses, as social_django's own ready() sets it): the real one is made, and put in
    its place, on first use."""

    def __getattr__(self, name: str):
        from social_django.utils import load_strategy

        strategy = load_strategy()
        REGISTRY.default_strategy = strategy
        return getattr(strategy, name)
