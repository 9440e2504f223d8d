from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """PetTube's user. Google accounts arrive through social-auth; videos live in DynamoDB
    and refer to users by `pk`."""

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username
