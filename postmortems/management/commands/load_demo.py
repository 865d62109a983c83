from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from postmortems.document import parse_document
from postmortems.document_io import import_document
from postmortems.permissions import AUTHOR, LEADERSHIP, REVIEWER

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
DEMO_PASSWORD = "hindsight-demo"
DEMO_USERS = [
    ("alice", AUTHOR, "Alice Author"),
    ("bob", AUTHOR, "Bob Builder"),
    ("rita", REVIEWER, "Rita Reviewer"),
    ("leo", LEADERSHIP, "Leo Leader"),
]


class Command(BaseCommand):
    help = "Load the demo users (one per role) and demo postmortems. Safe to run again."

    def handle(self, *args, **options):
        User = get_user_model()
        for username, role, full_name in DEMO_USERS:
            first, last = full_name.split(" ", 1)
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@example.com",
                },
            )
            if created or not user.has_usable_password() or not user.is_active:
                user.is_active = True
                user.set_password(DEMO_PASSWORD)
                user.save()
            user.groups.add(Group.objects.get_or_create(name=role)[0])
        if not User.objects.filter(username="admin").exists():
            User.objects.create_superuser("admin", "admin@example.com", DEMO_PASSWORD)
        for group in (AUTHOR, REVIEWER, LEADERSHIP):
            Group.objects.get_or_create(name=group)

        imported = 0
        for path in sorted(DEMO_DIR.glob("*.md")):
            doc = parse_document(path.read_text(encoding="utf-8"), slug=path.stem)
            import_document(doc=doc, source=f"demo/{path.name}")
            imported += 1
        self.stdout.write(self.style.SUCCESS(f"Demo data: {imported} postmortems loaded."))
        self.stdout.write(
            "Log in at http://127.0.0.1:8000/ with any of these (password: hindsight-demo):"
        )
        for username, role, _ in DEMO_USERS:
            self.stdout.write(f"  {username:<6} {role}")
        self.stdout.write("  admin  superuser (also /admin/)")
