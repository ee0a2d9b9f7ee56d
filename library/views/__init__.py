"""Views: ``pages`` for readers (HTML), ``api`` for programs (JSON), ``routes`` lists both."""
