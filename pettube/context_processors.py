from django.conf import settings


def site(request):
    return {
        "dev_login": settings.PETTUBE_DEV_LOGIN,
        "google_login": bool(settings.SOCIAL_AUTH_GOOGLE_OAUTH2_KEY),
    }
