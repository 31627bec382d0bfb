#!/usr/bin/env bash
# Preflight for a CI preview/up of one stack: fails early, with the fix, when
#   - the stack file Pulumi.<stack>.yaml is missing,
#   - the workflow's cloud/tier/region for the stack disagree with that file,
#   - the policy config policy-pack/config/<tier>.json is missing,
#   - the GitHub Environment lacks a variable the cloud login needs.
#
# Usage: scripts/preflight.sh STACK CLOUD TIER
# Reads: AWS_ROLE_ARN, AWS_REGION (aws); AZURE_CLIENT_ID, AZURE_TENANT_ID,
#        AZURE_SUBSCRIPTION_ID (azure); DEPLOY_ENVIRONMENT (for messages).
# Needs node and the `yaml` package (after `npm ci`). Run from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: scripts/preflight.sh STACK CLOUD TIER   (CLOUD: aws|azure, TIER: dev|prod)" >&2; exit 2; }
[ "$#" -eq 3 ] || usage
stack=$1 cloud=$2 tier=$3
env_name=${DEPLOY_ENVIRONMENT:-$stack}
problems=()

case "$cloud" in aws|azure) ;; *) echo "preflight: cloud '$cloud' is not aws or azure" >&2; usage ;; esac
case "$tier" in dev|prod) ;; *) echo "preflight: tier '$tier' is not dev or prod" >&2; usage ;; esac

stack_file="Pulumi.${stack}.yaml"
if [ ! -f "$stack_file" ]; then
  echo "preflight: $stack_file not found: the workflow matrix names stack '$stack' but the repository has no stack file for it." >&2
  exit 1
fi

# The stack file's value of a project key (secure-ml-training:<key>), or "".
stack_value() {
  node -e '
    const fs = require("fs"), YAML = require("yaml");
    const project = YAML.parse(fs.readFileSync("Pulumi.yaml", "utf8")).name;
    const config = (YAML.parse(fs.readFileSync(process.argv[1], "utf8")) || {}).config || {};
    const v = config[`${project}:${process.argv[2]}`];
    process.stdout.write(v === undefined || v === null ? "" : String(v));
  ' "$stack_file" "$1"
}

file_cloud=$(stack_value cloud)
file_tier=$(stack_value tier)
[ "$file_cloud" = "$cloud" ] || problems+=("$stack_file says cloud '$file_cloud' but the workflow runs it as '$cloud': fix the matrix entry for '$stack'.")
[ "$file_tier" = "$tier" ] || problems+=("$stack_file says tier '$file_tier' but the workflow runs it as '$tier': fix the matrix entry for '$stack' (a prod stack belongs in the prod deploy job).")

policy_config="policy-pack/config/${tier}.json"
[ -f "$policy_config" ] || problems+=("$policy_config not found: the policy pack has no config for tier '$tier'.")

require_var() { # NAME HINT
  if [ -z "${!1:-}" ]; then
    problems+=("variable $1 is empty: set it in Settings > Environments > $env_name > Environment variables ($2).")
  fi
}

if [ "$cloud" = aws ]; then
  require_var AWS_ROLE_ARN "the IAM role this environment assumes by OIDC, see docs/delivery.md"
  file_region=$(stack_value region)
  if [ -z "${AWS_REGION:-}" ]; then
    problems+=("no AWS region passed for '$stack': set 'region: $file_region' in its matrix entry.")
  elif [ "$file_region" != "$AWS_REGION" ]; then
    problems+=("$stack_file says region '$file_region' but the workflow passes '$AWS_REGION': fix the matrix entry for '$stack'.")
  fi
else
  require_var AZURE_CLIENT_ID "client id of the app registration or managed identity with a federated credential"
  require_var AZURE_TENANT_ID "Entra tenant id"
  require_var AZURE_SUBSCRIPTION_ID "subscription the stack deploys into"
fi

if [ "${#problems[@]}" -gt 0 ]; then
  echo "preflight failed for stack '$stack' (environment '$env_name'):" >&2
  for p in "${problems[@]}"; do echo "  - $p" >&2; done
  exit 1
fi
echo "preflight ok: stack '$stack' ($cloud, $tier) in environment '$env_name', policy config $policy_config"
