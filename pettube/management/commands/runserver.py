import os

from django.conf import settings
from django.contrib.staticfiles.management.commands import runserver

from pettube import local_aws


class Command(runserver.Command):
    help = "Starts the development server; on PETTUBE_AWS=local, with the embedded local AWS."

    def run(self, **options):
        # The reloader's outer process lives as long as the command: the moto server started
        # here survives code reloads, and each reloaded worker finds it through the environment.
        if settings.LOCAL_AWS and os.environ.get("RUN_MAIN") != "true":
            if not os.environ.get("AWS_ENDPOINT_URL"):
                self.server, endpoint = local_aws.start_server()
                self.stdout.write(f"Embedded local AWS (moto) on {endpoint}")
            local_aws.provision(extra_origins=self._site_origins())
        super().run(**options)

    def _site_origins(self) -> list[str]:
        """The origins browsers reach this server at, for the bucket's CORS rule."""
        host = f"[{self.addr}]" if self._raw_ipv6 else self.addr
        hosts = {host, "localhost", "127.0.0.1"} if host in {"127.0.0.1", "localhost", "0.0.0.0"} else {host}
        return sorted(f"{self.protocol}://{name}:{self.port}" for name in hosts)

    def inner_run(self, *args, **options):
        if settings.LOCAL_AWS:
            local_aws.EventPump(local_aws.queue_url()).start()
        super().inner_run(*args, **options)
