from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=False)
def dev_login_is_local_only(app_configs, **kwargs):
    """The dev login signs anybody in without a password: it must never reach production."""
    if settings.PETTUBE_DEV_LOGIN and (not settings.DEBUG or not settings.LOCAL_AWS):
        return [
            Error(
                "The dev login is enabled outside local development.",
                hint="It exists only with PETTUBE_AWS=local, DEBUG on and no Google OAuth keys.",
                id="accounts.E001",
            )
        ]
    return []
