"""Template tags through which pages of lower apps show dialogue content.

`pledges` must not import `dialogues`, so the kommun page (a pledges template) loads this
library instead of receiving a summary from its view.
"""

from django import template

from dialogues.selectors import municipality_summary

register = template.Library()


@register.inclusion_tag("includes/municipality_dialogues.html")
def municipality_dialogues(municipality, notice_shown=False):
    """The kommun page's "Säg vad du tycker" section: four queries. `notice_shown`: the page
    already shows the example notice, which is said once per page."""
    return {"summary": municipality_summary(municipality), "notice_shown": notice_shown}
