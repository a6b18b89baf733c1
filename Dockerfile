# govgraph API image. With NEO4J_URI set (see docker-compose.yml) it uses that Neo4j;
# without it, the embedded ArcadeDB store under GOVGRAPH_DATA_DIR.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY govgraph ./govgraph
COPY graph_schema ./graph_schema
COPY ingest ./ingest
COPY nlp ./nlp
COPY analysis ./analysis
COPY reporting ./reporting
COPY service ./service
COPY examples ./examples
RUN pip install --no-cache-dir .
RUN useradd --create-home govgraph && mkdir -p /data && chown govgraph /data
USER govgraph
ENV GOVGRAPH_DATA_DIR=/data
EXPOSE 8000
CMD ["govgraph", "serve", "--host", "0.0.0.0", "--port", "8000"]
