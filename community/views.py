"""The staff's review page for reports."""

from django.contrib.auth.decorators import user_passes_test
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from community import reports
from pettube.dynamo import InvalidCursor

staff_only = user_passes_test(lambda user: user.is_active and user.is_staff)


@staff_only
@never_cache
def review(request):
    """The open cases, a page at a time (`?cursor=`), hidden targets first."""
    try:
        page = reports.open_cases(cursor=request.GET.get("cursor") or None)
    except InvalidCursor:
        return HttpResponseBadRequest("This page link is not valid.")
    return render(request, "community/review.html", {"cases": page.items, "next_cursor": page.next_cursor})


@staff_only
@require_POST
def decide(request, target: str):
    decision = request.POST.get("decision")
    if decision == "delete":
        reports.remove(target=target)
    elif decision == "restore":
        reports.restore(target=target)
    else:
        return HttpResponseBadRequest("Choose restore or delete.")
    return redirect("review")
