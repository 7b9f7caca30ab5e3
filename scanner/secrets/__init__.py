"""Secret detection: detect-secrets (behind ``adapter``) plus zerodrift's own
detectors and false-positive filters. Secrets never leave ``engine`` in full:
findings carry a masked form and a hash only."""
