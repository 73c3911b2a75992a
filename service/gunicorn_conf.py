"""gunicorn settings for `make run`: threads per worker so SPARQL requests wait on their query
workers without blocking others; the app (and the model) is created in each worker."""
worker_class = "gthread"
threads = 8
timeout = 120
graceful_timeout = 20
accesslog = "-"
errorlog = "-"
loglevel = "info"
preload_app = False
