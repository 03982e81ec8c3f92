#!/bin/sh
# One-shot (docker-compose.yml, service `tls-cert`): a self-signed certificate for the nginx edge, so
# `docker compose up` serves HTTPS with nothing to set up. Writes cert.pem and key.pem into the
# directory given as the only argument. A real deployment mounts a certificate from a CA instead.
set -eu

dir=${1:?usage: make-self-signed-cert.sh DIRECTORY}
cert="$dir/cert.pem"
key="$dir/key.pem"

# Kept while it has a week left: a certificate you chose to trust (curl --cacert) survives restarts.
if [ -f "$key" ] && openssl x509 -checkend 604800 -noout -in "$cert" >/dev/null 2>&1; then
  echo "Keeping $cert: valid for at least another week"
  exit 0
fi

# ECDSA P-256: a small, fast key that every current TLS client accepts (OWASP TLS Cheat Sheet).
# Clients match the name they dialled against subjectAltName only, never the CN (RFC 9525).
# openssl writes the key readable by its owner only: nginx's master process reads it as root.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 90 \
  -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" \
  -keyout "$key" -out "$cert"
echo "Wrote a self-signed certificate for localhost to $cert (90 days)"
