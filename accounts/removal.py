"""Deleting an account, however it is deleted (`manage.py delete_account`, Django's admin if a
deployment installs it, the shell): just before the row goes, everything PetTube keeps of the
person outside the database goes (videos.services.remove_account: their videos and objects,
then every app's share through videos/signals.py's `account_deleted`). If that fails, the
deletion fails with it and the account stays, to be deleted again."""

from django.contrib.auth import get_user_model
from django.db.models.signals import pre_delete

from videos import services as videos


def _before_delete(sender, instance, **_) -> None:
    videos.remove_account(user_id=str(instance.pk))


def register() -> None:
    pre_delete.connect(_before_delete, sender=get_user_model(), dispatch_uid="accounts.remove_account")
