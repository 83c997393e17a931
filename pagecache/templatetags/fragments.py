"""Parts of a public page cached by content version, for renders the whole-page cache
cannot answer: a visitor with a session (staff, or a resident with a message pending), and
a page whose version moved only because an activity was logged.

    {% fragment "pledge-about" pledge.pk municipality_page texts_only load=about %}
      ...
    {% endfragment %}

The key (`pagecache.pages.fragment_key`) holds the name, the values after it, and what the
page's own key holds but the path: language, date, time step, release and the content
versions (without the activity log's with `texts_only`, none with `versionless`: the values
given name all the part shows). `load=` names a callable whose
dict is added to the context, called only when the part is not in the cache: the queries
a cold part needs run then and only then. Outside `public_page` (a staff preview) nothing
is cached.
"""

from django import template
from django.conf import settings
from django.core.cache import cache

from pagecache.pages import fragment_key

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, vary, options, load):
        self.nodelist = nodelist
        self.name = name
        self.vary = vary
        self.options = options
        self.load = load

    def render_cold(self, context):
        if self.load is None:
            return self.nodelist.render(context)
        # Resolving the callable calls it (the template engine calls callables).
        with context.push(**(self.load.resolve(context) or {})):
            return self.nodelist.render(context)

    def render(self, context):
        request = context.get("request")
        key = request and fragment_key(
            request,
            self.name.resolve(context),
            [value.resolve(context) for value in self.vary],
            **self.options,
        )
        if key is None:
            return self.render_cold(context)
        html = cache.get(key)
        if html is None:
            html = self.render_cold(context)
            cache.set(key, html, settings.PAGE_CACHE_SECONDS)
        return html


@register.tag
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("'fragment' needs a name.")
    name = parser.compile_filter(bits[1])
    vary, options, load = [], {}, None
    for bit in bits[2:]:
        if bit in ("texts_only", "versionless"):
            options[bit] = True
        elif bit.startswith("load="):
            load = parser.compile_filter(bit.removeprefix("load="))
        else:
            vary.append(parser.compile_filter(bit))
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, name, vary, options, load)
