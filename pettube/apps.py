from django.apps import AppConfig


class PetTubeConfig(AppConfig):
    name = "pettube"
    verbose_name = "PetTube"
