"""``tei_all.rng`` rewritten into a form libxml2 compiles in a fraction of a second, derived once
per machine and kept in the user's cache.

Where the seconds go: lxml parses the 1 MB schema in 0.03 s; ``etree.RelaxNG`` then spends over
99% of its time (10-20 s) in libxml2's determinism check of the automata it builds for each
element's content model (``xmlRegexpIsDeterminist``, 1,140 calls). The check costs about the cube
of the number of element transitions, and TEI's mixed content (``body``, ``div``, ``p``...) allows
hundreds of elements. Stripping annotations and unreachable ``define``s, which changes nothing
libxml2 builds, saves about 10%.

What does save it: for each element whose content model is wide (``WIDE`` transitions or more),
an optional child that can never be valid is added (any element in a namespace no document uses,
whose content is ``notAllowed``). The language is unchanged (that child can only ever fail, as
the element it replaces would have), but libxml2 cannot compile a content model holding a name
class, so it validates that element's content by interpreting the grammar, as it already does
for every content model that is not deterministic. Verdicts are the same (tests/test_schema_cache.py
compares them with the full schema's); messages about what sits directly inside a wide element
may name the parent's line or a neighbour rather than the offending child. Narrow content models,
the header's among them, are compiled as before, so their messages are unchanged.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from lxml import etree

RNG_NS = "http://relaxng.org/ns/structure/1.0"
# No TEI document puts elements here; the name only has to be one nothing will match.
NEVER_NS = "urn:x-primary-source-library:never"
# Below this width libxml2's check is cheap (all of them together about 0.1 s) and its compiled
# automata give the most precise messages; 150 already costs 1 s, 200 5 s. The p-like models
# (200-300 wide) are most of the compile and, interpreted, most of the validation time: no
# threshold keeps one cost without the other (README, Measured).
WIDE = 100
FULL_ENV = "LIBRARY_FULL_TEI_SCHEMA"
# Part of the cache key: bump when derive() changes what it writes.
FORM = 1


def _q(tag: str) -> str:
    return f"{{{RNG_NS}}}{tag}"


def _is_rng(el: etree._Element) -> bool:
    return isinstance(el.tag, str) and el.tag.startswith(f"{{{RNG_NS}}}")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "primary-source-library"


def cache_key(source: bytes) -> str:
    """The schema's bytes, the form's version and the libxml2/lxml that will compile it: any of
    them changing makes a new file, never a stale one."""
    h = hashlib.sha256(source)
    h.update(f"|form {FORM} wide {WIDE}|lxml {etree.LXML_VERSION}|libxml2 "
             f"{etree.LIBXML_VERSION}".encode())
    return h.hexdigest()[:32]


def derive(source: bytes) -> bytes:
    """The fast-compiling form of a RELAX NG (XML syntax, single file) schema."""
    root = etree.fromstring(source, etree.XMLParser(resolve_entities=False, no_network=True,
                                                    remove_comments=True))
    _strip(root)
    defines: dict[str, list[etree._Element]] = {}
    for d in root.findall(_q("define")):
        defines.setdefault(d.get("name"), []).append(d)
    reachable = _reachable(root, defines)
    for name, ds in defines.items():
        if name not in reachable:
            for d in ds:
                root.remove(d)
    widths: dict[str, int] = {}
    for el in list(root.iter(_q("element"))):
        if el.get("name") is None or _holds_data(el, defines, set()):
            continue  # not compiled by libxml2 anyway (and data may not sit beside elements)
        if _width(el, defines, widths, ()) >= WIDE:
            never = etree.SubElement(etree.SubElement(el, _q("optional")), _q("element"))
            etree.SubElement(never, _q("nsName"), ns=NEVER_NS)
            etree.SubElement(never, _q("notAllowed"))
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def _strip(root: etree._Element) -> None:
    """Annotations (``a:documentation``, Schematron, XHTML in both) and foreign attributes:
    libxml2 skips them, after parsing them."""
    for el in list(root.iter()):
        parent = el.getparent()
        if parent is not None and _is_rng(parent) and not _is_rng(el):
            parent.remove(el)  # its tail is whitespace between patterns
    for el in root.iter():
        for name in [n for n in el.attrib if n.startswith("{")]:
            del el.attrib[name]


def _reachable(root: etree._Element, defines: dict[str, list[etree._Element]]) -> set[str]:
    seen: set[str] = set()
    todo = root.findall(_q("start"))
    while todo:
        for ref in todo.pop().iter(_q("ref")):
            name = ref.get("name")
            if name not in seen:
                seen.add(name)
                todo.extend(defines.get(name, []))
    return seen


def _holds_data(node: etree._Element, defines: dict[str, list[etree._Element]],
                seen: set[str]) -> bool:
    """Whether ``node``'s own content (not its attributes', not nested elements') is data."""
    for child in node:
        tag = etree.QName(child).localname
        if tag in ("element", "attribute"):
            continue
        if tag in ("data", "value", "list"):
            return True
        if tag == "ref":
            name = child.get("name")
            if name not in seen:
                seen.add(name)
                if any(_holds_data(d, defines, seen) for d in defines.get(name, [])):
                    return True
        elif _holds_data(child, defines, seen):
            return True
    return False


def _width(node: etree._Element, defines: dict[str, list[etree._Element]],
           memo: dict[str, int], stack: tuple[str, ...]) -> int:
    """How many element transitions libxml2's automaton for ``node``'s content would hold: refs
    expanded, ``oneOrMore`` twice (libxml2 builds its content twice)."""
    n = 0
    for child in node:
        tag = etree.QName(child).localname
        if tag == "element":
            n += 1
        elif tag == "ref":
            name = child.get("name")
            if name in stack:
                continue
            if name not in memo:
                memo[name] = sum(_width(d, defines, memo, (*stack, name))
                                 for d in defines.get(name, []))
            n += memo[name]
        elif tag == "oneOrMore":
            n += 2 * _width(child, defines, memo, stack)
        elif tag != "attribute":
            n += _width(child, defines, memo, stack)
    return n


def cache_path(source: Path, data: bytes) -> Path:
    return cache_dir() / f"{source.stem}-{cache_key(data)}.rng"


def derived_schema(source: Path) -> bytes:
    """The derived form of ``source``: read from the cache, else derived and written there
    (atomically: a temporary file renamed, so concurrent imports never see half a file). A cache
    that cannot be written costs the derivation (a fraction of a second) in each process."""
    data = source.read_bytes()
    target = cache_path(source, data)
    try:
        return target.read_bytes()
    except OSError:
        pass
    derived = derive(data)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(derived)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass
    return derived


def compile_schema(source: Path) -> etree.RelaxNG:
    """``source`` compiled from its derived form, or, if anything about that fails, from
    itself (slow, never wrong). ``LIBRARY_FULL_TEI_SCHEMA=1`` asks for the schema itself: libxml2
    then compiles every deterministic content model, whose messages name the offending child."""
    if os.environ.get(FULL_ENV, "") not in ("", "0"):
        return full_schema(source)
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        return etree.RelaxNG(etree.fromstring(derived_schema(source), parser))
    except (OSError, etree.LxmlError, ValueError):
        try:  # a damaged cached file would otherwise cost every later process the full compile
            cache_path(source, source.read_bytes()).unlink(missing_ok=True)
        except OSError:
            pass
        return full_schema(source)


def full_schema(source: Path) -> etree.RelaxNG:
    """``source`` itself, compiled (10 s or more for tei_all): the reference the derived form is
    measured and tested against."""
    return etree.RelaxNG(etree.parse(str(source), etree.XMLParser(resolve_entities=False,
                                                                  no_network=True)))
