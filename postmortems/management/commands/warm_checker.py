import time

from django.core.management.base import BaseCommand

from postmortems.checking import ruleset
from postmortems.specificity import item_scanner


class Command(BaseCommand):
    help = (
        "Load the specificity checker's rules (with HINDSIGHT_SPECIFICITY_LEXICONS) and compile "
        "their Hyperscan databases into HINDSIGHT_CACHE_DIR, so that no request waits for it. "
        "Run once per deploy; a cached database loads in about a millisecond."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        rules = ruleset()
        seconds = time.perf_counter() - started
        scanners = len(rules.literals.scanners)
        if not scanners:
            why = "not installed" if item_scanner.hyperscan is None else "HINDSIGHT_HYPERSCAN=0"
            self.stdout.write(f"checker ready in {seconds:.1f} s, without Hyperscan ({why})")
            return
        self.stdout.write(
            f"checker ready in {seconds:.1f} s: {scanners} Hyperscan databases "
            f"in {item_scanner.cache_dir()}"
        )
