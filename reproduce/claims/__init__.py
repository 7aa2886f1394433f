"""Pre-registered claims (``claims.yaml``) and their verdicts (:mod:`.verdicts`)."""
