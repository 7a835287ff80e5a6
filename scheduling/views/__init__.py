"""Pages of the scheduling app: the rota, My day, team planning, logging and the feed."""
