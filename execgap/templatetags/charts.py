"""`{% load charts %}`: the SVG charts of `execgap.web.charts` as template tags."""

from django import template

from execgap.web import charts

register = template.Library()

for chart in (charts.trend_chart, charts.share_bars, charts.stacked_bar, charts.load_bar):
    register.simple_tag(chart)
