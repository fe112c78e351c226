"""Check an archive package offline: the manifest's signature, every file's SHA-256, nothing
added or missing, each audit row's hash and the attached checkpoint's signature.

    manage.py verify_archive decision-12-archive.zip
    manage.py verify_archive FILE --public-key <base64>   # without the platform's key in the environment

Exit status 0 with ``OK`` and a summary, otherwise every problem found and a non-zero status.
No database is used."""
from __future__ import annotations

import base64
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.management.base import BaseCommand, CommandError

from core.archive import verify_package
from core.signing import key_id_of


class Command(BaseCommand):
    help = "离线核验档案包：清单签名、每个文件的 SHA-256、有无增删、审计记录哈希及所附检查点。"
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="档案包（zip）")
        parser.add_argument("--public-key", action="append", default=[], metavar="BASE64",
                            help="受信任的公钥（透明度页面所列），可重复；不给则用本机配置的密钥")

    def handle(self, *args, **options) -> None:
        try:
            data = Path(options["file"]).read_bytes()
        except OSError as error:
            raise CommandError(f"无法读取 {options['file']}：{error}") from error
        keys = None
        if options["public_key"]:
            keys = {}
            for text in options["public_key"]:
                key = Ed25519PublicKey.from_public_bytes(base64.b64decode(text))
                keys[key_id_of(key)] = key
        manifest, problems = verify_package(data, keys=keys)
        if problems:
            raise CommandError("档案包核验失败：\n" + "\n".join(f"- {problem}" for problem in problems))
        obj = manifest["object"]
        self.stdout.write(f"OK {manifest['label']} #{obj['id']}「{obj['title']}」：{len(manifest['files'])} 个文件，"
                          f"审计记录 {manifest['audit']['events']} 条，签名有效")
