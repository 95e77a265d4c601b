"""Reads of the published results from a PostgreSQL replica (docs/scaling.md), when one is configured.

Only `results.Publication` is routed: the public site reads nothing else of substance, and a snapshot
is immutable, so a replica a few seconds behind shows at worst the previous version for those seconds.
Writes and everything else stay on the primary.
"""

REPLICA = "replica"
ROUTED = {("results", "publication")}


class PublicReplicaRouter:
    def db_for_read(self, model, **hints):
        if (model._meta.app_label, model._meta.model_name) in ROUTED:
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica mirrors the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
