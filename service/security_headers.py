"""The Content-Security-Policy every response carries (service.create_app sets it; the SPARQL workbench
widens it by the hashes of its library's inline styles). A leaf module, so blueprints import it without
importing the application package."""
from __future__ import annotations

CONTENT_SECURITY_POLICY = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                           "frame-ancestors 'none'")
