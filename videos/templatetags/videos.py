from django import template

register = template.Library()


@register.filter
def clock(seconds: float | None) -> str:
    """A duration as players show it: 0:07, 1:35, 1:02:03."""
    if seconds is None:
        return ""
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
