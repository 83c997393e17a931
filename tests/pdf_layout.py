"""Reading a laid-out or written PDF in tests: what each page ends with (WeasyPrint's page
boxes) and the /Alt text of every Figure in the structure tree (pypdf)."""

import io

KEEP_WITH_NEXT = {"h1", "h2", "h3", "h4", "h5", "h6", "caption", "thead"}


def _last_text(box, ancestors):
    """(text, ancestor elements) of the last text box inside `box`, in document order."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.MarginBox):
        return None
    chain = ancestors
    element = getattr(box, "element", None)
    if element is not None and (not ancestors or ancestors[-1] is not element):
        chain = [*ancestors, element]
    if isinstance(box, boxes.TextBox):
        return (box.text, chain) if box.text.strip() else None
    found = None
    for child in getattr(box, "children", []):
        last = _last_text(child, chain)
        if last is not None:
            found = last
    return found


def page_enders(layout):
    """For each page whose last line of text is a heading, a caption or a table head, that
    text: the pages that end with something that belongs to the next page."""
    offenders = []
    for number, page in enumerate(layout.pages, start=1):
        last = _last_text(page._page_box, [])
        if last is None:
            continue
        text, chain = last
        tags = {getattr(element, "tag", "") for element in chain}
        classes = " ".join((element.get("class") or "") for element in chain)
        if tags & KEEP_WITH_NEXT or "doc-note-head" in classes:
            offenders.append((number, text))
    return offenders


def figures_without_alt(content):
    """The /Figure elements of a tagged PDF's structure tree, and how many lack /Alt."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]["/StructTreeRoot"]
    figures = []
    stack = [root]
    while stack:
        node = stack.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not hasattr(node, "get"):
            continue
        if node.get("/S") == "/Figure":
            figures.append(str(node.get("/Alt", "")))
        kids = node.get("/K")
        if kids is not None:
            stack.append(kids)
    return figures
