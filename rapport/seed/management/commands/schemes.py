"""rapport schemes: the classification schemes, as a list or as XML SPIFs (and back)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from rapport.core.errors import InputError
from rapport.markings.models import LEVEL_MARKINGS, ClassificationScheme
from rapport.markings.spif import MAX_BYTES, read_spif
from rapport.seed.schemes import export_all, import_scheme


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = (
        "The classification schemes (reference data, public). 'rapport schemes list' lists them with their policy "
        "and levels; 'rapport schemes export [--scheme KEY] [--output DIR|FILE]' writes each scheme's value domain "
        "as an XML SPIF (Open XML SPIF 2.1: policy, classifications in rank order with their banner and portion "
        "texts, also per language (xml:lang) where the scheme gives them; the organisations a record may be "
        "releasable to); 'rapport schemes import FILE [--scheme KEY]' "
        "creates or updates a scheme from such a file (atomic: a bad file changes nothing; audited)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="List the schemes, their policies and levels.")
        export = sub.add_parser("export", help="Write each scheme as an XML SPIF.")
        export.add_argument("--scheme", help="Only this scheme (its key: eu, nato).")
        export.add_argument("--output", help="A folder (one KEY.spif.xml per scheme) or, for one scheme, a file; "
                                             "without it one scheme's SPIF is printed.")
        imports = sub.add_parser("import", help="Create or update a scheme from an XML SPIF.")
        imports.add_argument("file")
        imports.add_argument("--scheme", help="The scheme's key (by default the file's own, or the scheme with "
                                              "the file's policy identifier).")

    def handle(self, *args, action, **options):
        if action == "list":
            return self._list()
        if action == "export":
            return self._export(options["scheme"], options["output"])
        return self._import(Path(options["file"]), options["scheme"])

    def _list(self):
        for scheme in ClassificationScheme.objects.prefetch_related("levels"):
            levels = " < ".join(lv.name for lv in sorted(scheme.levels.all(), key=lambda lv: lv.rank))
            self.stdout.write(f"{scheme.key:<8} {scheme.policy} ({scheme.policy_oid})\n         {levels}")

    def _export(self, key, output):
        schemes = ClassificationScheme.objects.prefetch_related("levels", f"levels__{LEVEL_MARKINGS}").order_by("key")
        if key:
            schemes = schemes.filter(key=key)
            if not schemes:
                known = ", ".join(ClassificationScheme.objects.values_list("key", flat=True))
                raise CommandError(f"No scheme {key!r} (the schemes are: {known}).")
        files = export_all(list(schemes), timezone.now())
        target = Path(output) if output else None
        folder = target is not None and (target.is_dir() or output.endswith(("/", "\\")))
        if not folder and len(files) != 1:
            raise CommandError(f"{len(files)} schemes: name one with --scheme KEY, or give a folder with --output DIR.")
        if target is None:
            self.stdout.write(next(iter(files.values())).decode("utf-8"), ending="")
            return
        written = {target / f"{name}.spif.xml": content for name, content in files.items()} if folder else {
            target: next(iter(files.values()))}
        try:
            if folder:
                target.mkdir(parents=True, exist_ok=True)
            for path, content in written.items():
                path.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Cannot write {exc.filename or target}: {exc.strerror}.") from None
        for path in written:
            self.stdout.write(f"Wrote {path}")

    def _import(self, path: Path, key):
        try:
            if path.stat().st_size > MAX_BYTES:
                raise CommandError(f"Nothing was changed: {path} is larger than {MAX_BYTES} bytes.")
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Nothing was changed: cannot read {path}: {exc.strerror}.") from None
        try:
            result = import_scheme(data=read_spif(content, source=path.name), key=key)
        except InputError as exc:
            raise CommandError(f"Nothing was changed: {exc}") from None
        if not result.changed:
            self.stdout.write(f"Scheme {result.scheme.key}: already as the file says; nothing changed.")
            return
        parts = [f"created {', '.join(result.created)}" if result.created else "",
                 f"updated {', '.join(result.updated)}" if result.updated else ""]
        self.stdout.write(f"Scheme {result.scheme.key}: " + "; ".join(p for p in parts if p) + ".")
