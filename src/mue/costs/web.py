"""What costs add to the web pages (see :mod:`mue.web.pages`): the total cost of ownership page, the
renewal calendar with its calendar feeds, and the feed itself (outside any workspace: a calendar
application cannot sign in, the secret in the address is the key)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from mue.costs import views
from mue.web.pages import pages

# Not "costs/": that is the list of the cost lines (the register type's own pages).
pages.add_urls([
    path("cost-of-ownership/", views.costs_page, name="costs"),
    path("renewals/", views.renewals_page, name="renewals"),
])
pages.add_root_urls([path("calendar/<str:secret>.ics", views.calendar_feed, name="calendar_feed")])
pages.add_nav("analysis", _("Cost of ownership"), "web:costs", order=35)
pages.add_nav("vendors", _("Renewal calendar"), "web:renewals", order=90)
