#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pettube.settings")
    if sys.argv[1:2] == ["runserver"]:  # the development server asks for the embedded AWS
        os.environ.setdefault("PETTUBE_AWS", "local")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
