"""The indexer: reads formats into TEI (the store of record, ``sources/``), then TEI into the index.

Data flows through one module per stage:
``markers`` → ``essay`` / ``works`` (seeds → TEI) → ``store`` (atomic writes) →
``teidoc`` (TEI → documents and passages) → ``index`` (passages → Whoosh) → ``check``.
"""
