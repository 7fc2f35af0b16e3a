"""Client-level records: the national Client Level Data return, its method stage by stage as SQL,
the measures (ASCOF and local), the engines that run them and synthetic records with known answers."""
