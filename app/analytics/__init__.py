"""Policy analytics (issue 19): service-log bottlenecks, certificate value, topic trends, KPIs and model monitoring.

Pure analysis over frames and Parquet files: the services read the data and hand it over, the build fits what needs
fitting, and nothing here imports a service, the command line, the build or the UI (import-linter contract).
"""
