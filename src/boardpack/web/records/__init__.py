"""The Store's Django app: organisations, the versioned catalogue, targets, figures,
commentary and rating overrides, reporting periods, published packs and the audit log."""
