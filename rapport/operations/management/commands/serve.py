import os
import sys

from django.core.management import call_command
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.core.commands import RapportCommand


class Command(RapportCommand):
    help = gettext_lazy("Start the web application with gunicorn (2 workers × 4 threads) on http://HOST:PORT/.")

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help=gettext_lazy("Address to listen on (default 127.0.0.1)."))
        parser.add_argument("--port", type=int, default=8000, help=gettext_lazy("Port (default 8000)."))
        parser.add_argument("--dev", action="store_true", help=gettext_lazy("Use Django's auto-reloading development server instead."))

    def handle(self, *args, host, port, dev, **options):
        if dev:
            call_command("runserver", f"{host}:{port}")
            return
        self.stdout.write(_("Rapport is serving on %(address)s  (Ctrl+C stops it)") % {"address": f"http://{host}:{port}/"})
        self.stdout.flush()
        gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
        os.execv(gunicorn, [gunicorn, "rapport.wsgi:application", "--bind", f"{host}:{port}",
                            "--workers", "2", "--threads", "4", "--worker-class", "gthread",
                            "--access-logfile", "-"])
