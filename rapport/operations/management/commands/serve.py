import os
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Start the web application with gunicorn (2 workers × 4 threads) on http://HOST:PORT/."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on (default 127.0.0.1).")
        parser.add_argument("--port", type=int, default=8000, help="Port (default 8000).")
        parser.add_argument("--dev", action="store_true", help="Use Django's auto-reloading development server instead.")

    def handle(self, *args, host, port, dev, **options):
        if dev:
            call_command("runserver", f"{host}:{port}")
            return
        self.stdout.write(f"Rapport is serving on http://{host}:{port}/  (Ctrl+C stops it)")
        self.stdout.flush()
        gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
        os.execv(gunicorn, [gunicorn, "rapport.wsgi:application", "--bind", f"{host}:{port}",
                            "--workers", "2", "--threads", "4", "--worker-class", "gthread",
                            "--access-logfile", "-"])
