"""Raw publisher landings and the dbt models built from them."""
