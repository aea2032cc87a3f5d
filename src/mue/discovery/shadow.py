"""Adding a discovered service to the register as a shadow application (logged in the change log)."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from mue.discovery.catalogue import Catalogue


class NotInCatalogue(LookupError):
    """The service id is not in the workspace's catalogue."""


class NotAnApplication(ValueError):
    """The catalogue entry is advertising, a CDN, updates...: not an application to put in the register."""

    def __init__(self, service_id: str, kind: str) -> None:
        super().__init__(f"{service_id} is {kind}, not an application")
        self.kind = kind


def link_application(workspace, service_id: str, slug: str, catalogue: Catalogue):
    """Record that the register application ``slug`` is the catalogue service (an explicit mapping, which beats
    the automatic matching). Raises NotInCatalogue, or LookupError when the register has no such application."""
    from mue.applications.models import Application
    from mue.discovery.models import ApplicationMapping, DiscoveredService

    if catalogue.get(service_id) is None:
        raise NotInCatalogue(service_id)
    app = Application.objects.filter(workspace=workspace, slug=slug).first()
    if app is None:
        raise LookupError(slug)
    ApplicationMapping.objects.update_or_create(workspace=workspace, service_id=service_id,
                                                defaults={"application": app})
    DiscoveredService.objects.filter(run__workspace=workspace, service_id=service_id,
                                     application__isnull=True).update(application=app)
    return app


def _free_slug(model, workspace, base: str) -> str:
    base = slugify(base)[:90] or "service"
    taken = set(model.objects.filter(workspace=workspace, slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def add_shadow_application(workspace, service_id: str, catalogue: Catalogue):
    """Create (or return the already matched) register application for a catalogue service.

    The application is created through the ORM (so the change log records it) with status shadow and kind saas;
    its vendor is the external party of the same name, created when missing. Returns (application, created).
    """
    from mue.applications.models import Application
    from mue.discovery.models import ApplicationMapping, DiscoveredService
    from mue.discovery.store import application_matches
    from mue.vendors.models import ExternalParty

    service = catalogue.get(service_id)
    if service is None:
        raise NotInCatalogue(service_id)
    if not service.is_application:
        raise NotAnApplication(service_id, service.kind)
    existing = application_matches(workspace, catalogue).get(service_id)
    if existing is not None:
        return existing, False
    vendor = ExternalParty.objects.filter(workspace=workspace, name__iexact=service.vendor).first()
    if vendor is None:
        vendor = ExternalParty.objects.create(workspace=workspace, slug=_free_slug(ExternalParty, workspace,
                                                                                   service.vendor),
                                              name=service.vendor, kind="vendor", country=service.vendor_country)
    domain = next((d for d in service.domains if not d.startswith("=")), service.domains[0].lstrip("="))
    single_location = [loc for loc in service.data_location if len(loc) == 2 and loc != "EU"]
    app = Application.objects.create(
        workspace=workspace, slug=_free_slug(Application, workspace, service.id), name=service.name, kind="saas",
        vendor=vendor, category=service.category, status="shadow", url=f"https://{domain}",
        hosting_country=single_location[0] if len(service.data_location) == 1 and single_location else "",
        sso=None, mfa=None, description=f"Discovered in usage logs (catalogue service {service.id}).")
    ApplicationMapping.objects.update_or_create(workspace=workspace, service_id=service.id,
                                                defaults={"application": app})
    DiscoveredService.objects.filter(run__workspace=workspace, service_id=service.id,
                                     application__isnull=True).update(application=app)
    return app, True
