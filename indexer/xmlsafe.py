"""The only way XML enters the program: no entity resolution, no DTD loading, no network.

Hostile XML (external entities, entity-expansion bombs) is refused with a message that names
the file and the line, never silently expanded.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree


class XMLInputError(ValueError):
    """XML that cannot be accepted; ``str()`` says what is wrong and where."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def _refuse_entities(tree: etree._ElementTree, where: str) -> None:
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise XMLInputError(f"{where}: the document declares entities in a DTD; refused for safety")
    if tree.docinfo.system_url or tree.docinfo.public_id:
        raise XMLInputError(f"{where}: the document refers to an external DTD; refused for safety")
    for node in tree.iter(etree.Entity):
        line = getattr(node, "sourceline", "?")
        raise XMLInputError(f"{where}:{line}: unresolved entity reference {node.text}")


def parse_bytes(data: bytes, where: str = "<input>") -> etree._ElementTree:
    """Parse XML bytes safely; raise :class:`XMLInputError` naming ``where`` and the line."""
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (exc.lineno, 0)
        raise XMLInputError(f"{where}:{line}:{col}: not well-formed XML: {exc.msg}") from None
    tree = root.getroottree()
    _refuse_entities(tree, where)
    return tree


def parse_file(path: Path) -> etree._ElementTree:
    """Parse an XML file safely; errors name the file and the line."""
    return parse_bytes(Path(path).read_bytes(), where=str(path))
