"""Sales pipelines, stages, opportunities, products and lost reasons."""
