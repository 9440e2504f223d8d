"""`manage.py delete_account <username or id> ...`: delete accounts with everything of theirs
(accounts/removal.py)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q


class Command(BaseCommand):
    help = "Delete accounts and everything PetTube keeps of them: videos, pets, comments, likes, S3 objects."

    def add_arguments(self, parser):
        parser.add_argument("people", nargs="+", help="usernames or ids")

    def handle(self, *args, people: list[str], **options):
        for someone in people:
            match = Q(username=someone) | (Q(pk=int(someone)) if someone.isdigit() else Q())
            user = get_user_model().objects.filter(match).first()
            if user is None:
                raise CommandError(f"No account {someone!r}.")
            user_id = user.pk
            user.delete()
            self.stdout.write(f"Deleted {user.username} (id {user_id}) and everything of theirs.")
