"""The staff's review page for reports."""

from django.contrib.auth.decorators import user_passes_test
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from community import reports

staff_only = user_passes_test(lambda user: user.is_active and user.is_staff)


@staff_only
@never_cache
def review(request):
    return render(request, "community/review.html", {"cases": reports.open_cases()})


@staff_only
@require_POST
def decide(request, target: str):
    if request.POST.get("decision") == "delete":
        reports.remove(target=target)
    else:
        reports.restore(target=target)
    return redirect("review")
