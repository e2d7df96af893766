"""`{% load charts %}`: the small SVG bars of `execgap.web.charts` as template tags (the larger
charts are drawn by the selectors, which know their data)."""

from django import template

from execgap.web import charts

register = template.Library()

for chart in (charts.share_bars, charts.stacked_bar, charts.load_bar):
    register.simple_tag(chart)
