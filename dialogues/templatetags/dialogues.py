"""Template tags through which pages of lower apps show dialogue content.

`pledges` must not import `dialogues`, so the kommun page (a pledges template) loads this
library instead of receiving a summary from its view.
"""

from django import template

from dialogues.selectors import municipality_summary

register = template.Library()


@register.inclusion_tag("includes/municipality_dialogues.html")
def municipality_dialogues(municipality):
    """The kommun page's "Säg vad du tycker" section: four queries."""
    return {"summary": municipality_summary(municipality)}
