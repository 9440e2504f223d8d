"""The web function's Lambda entry (zappa_settings.json's `lambda_handler`): Zappa's own handler,
with the garbage collector paused from process start until the first answer. A cold start
allocates hundreds of thousands of objects that all live as long as the process (modules, botocore
models, Django's URLconf and templates); collecting them again and again while they load is
wasted work (12% of a cold start's instructions, measured with callgrind in bench/coldstart.py's
setting). After the first answer they are frozen (never scanned again) and collection resumes."""

import gc

gc.disable()

from handler import lambda_handler as zappa_handler  # noqa: E402 (Zappa's, at the package root)


def lambda_handler(event, context):
    try:
        return zappa_handler(event, context)
    finally:
        if not gc.isenabled():
            gc.freeze()
            gc.enable()
