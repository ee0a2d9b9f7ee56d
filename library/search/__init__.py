"""The search side of the library: the query language (``querylex``, ``queryparse``,
``query``), the searcher over the engine interface (``searcher``), highlighting and KWIC
(``highlight``), names across scripts (``names``), facets (``facets``), the limits a request
may spend (``limits``), and what a search asks and answers (``searchtypes``). Only the engine
adapters in ``indexer/engines`` name an engine."""
