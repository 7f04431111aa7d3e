"""Students, and the engine's results stored by date: what every list, trend and history reads."""
