"""Certify: digital-transformation maturity of Vietnamese local governments.

The domain core. It never imports the web app (`api`) or the report renderers (`reports`);
those register themselves through entry points (see `certify.formats`).
"""

__version__ = "0.1.0"
