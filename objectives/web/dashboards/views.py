from django.http import HttpResponse
from django.shortcuts import render

from execgap.web.pages import OrgRequest, org_page


@org_page()
def health(request: OrgRequest) -> HttpResponse:
    return render(request, "dashboards/health.html", {})
