#!/bin/bash
# LocalStack "ready" hook (docker-compose.yml): creates the API's one JSON secret in the local Secrets
# Manager, as an operator would in AWS. The signing key is generated here, on every start of LocalStack
# (which keeps no state between starts): no private key is ever committed to the repository.
# The URLs come from the compose file (ORDERS_DATABASE_URL, ORDERS_REDIS_URL, ORDERS_SMTP_URL: the SMTP
# URL is a secret like the others, since a real one holds the mail server's password, and production
# refuses it in the environment); ORDERS_SECRET_ID names the secret.
set -euo pipefail

# The secret is written to a file only its owner can read, passed by file:// rather than on the
# command line (where `ps` would show it), and removed however the script ends.
umask 077
secret_file=$(mktemp)
trap 'rm -f "$secret_file"' EXIT

# PKCS#8 PEM ("BEGIN PRIVATE KEY"), RSA 2048: the format the API requires. Its lines hold only base64
# and dashes, so joining them with a literal \n is all the JSON escaping they need.
private_key=$(openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:2048 | awk '{ printf "%s\\n", $0 }')
key_id="compose-$(date -u +%Y%m%dT%H%M%SZ)"

printf '{"databaseUrl":"%s","redisUrl":"%s","smtpUrl":"%s","jwtPrivateKey":"%s","jwtKeyId":"%s"}' \
  "$ORDERS_DATABASE_URL" "$ORDERS_REDIS_URL" "$ORDERS_SMTP_URL" "$private_key" "$key_id" >"$secret_file"

awslocal secretsmanager create-secret --name "$ORDERS_SECRET_ID" --secret-string "file://$secret_file" >/dev/null
echo "Created secret $ORDERS_SECRET_ID (signing key kid $key_id)"
