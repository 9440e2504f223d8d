from django.urls import path

from pettube.lazy import view

urlpatterns = [path("search/", view("search.views.search_page"), name="search")]
