# lerwallet's verification service (docs/serve.md, "Container"). Stateless: run as many copies
# as you need behind your load balancer. Off loopback the service requires TLS, so mount a
# certificate and key (PEM) at /run/secrets/tls.crt and /run/secrets/tls.key:
#
#   docker build -t lerwallet .
#   docker run -p 8443:8443 -v "$PWD/tls:/run/secrets:ro" lerwallet
#   docker run -p 8443:8443 -v "$PWD/tls:/run/secrets:ro" -v "$PWD/conf:/conf:ro" lerwallet \
#       serve --verifier --config /conf/serve.toml
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    LERWALLET_HOME=/home/lerwallet/wallet

WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install . && rm -rf /src

# An unprivileged user; the service needs no wallet (with --online it caches fetched JSON-LD
# contexts under $LERWALLET_HOME/cache, in this user's home).
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin lerwallet
USER lerwallet
WORKDIR /home/lerwallet

EXPOSE 8443

# Liveness: /healthz over the same TLS listener. The probe connects to 127.0.0.1, which the
# certificate does not name, so it skips the name and chain check (it only asks "is it up?").
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import json, ssl, sys, urllib.request; ctx = ssl._create_unverified_context(); r = urllib.request.urlopen('https://127.0.0.1:8443/healthz', context=ctx, timeout=4); sys.exit(0 if json.load(r).get('status') == 'ok' else 1)"]

ENTRYPOINT ["lerwallet"]
CMD ["serve", "--verifier", "--host", "0.0.0.0", "--port", "8443", \
     "--tls-cert", "/run/secrets/tls.crt", "--tls-key", "/run/secrets/tls.key"]
