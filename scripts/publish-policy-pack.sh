#!/usr/bin/env bash
# Publishes ./policy-pack to a Pulumi Cloud organisation:
#   pulumi policy publish <org>        (run in policy-pack/)
# after checking that the release tag names the pack's version, so a published
# version always matches a tag. Used by .github/workflows/policy-pack.yml;
# works the same on a workstation after `pulumi login`.
#
# Usage: scripts/publish-policy-pack.sh ORG [TAG]
#   ORG  Pulumi Cloud organisation
#   TAG  policy-pack-v<version>; must equal policy-pack/package.json's version
#        (omit on a workstation to publish the version in package.json)
# Set PUBLISH_DRY_RUN=1 to print the command instead of running it.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$#" -lt 1 ] || [ "$#" -gt 2 ] || [ -z "$1" ]; then
  echo "usage: scripts/publish-policy-pack.sh ORG [policy-pack-vX.Y.Z]" >&2
  exit 2
fi
org=$1
tag=${2:-}

version=$(node -p 'require("./policy-pack/package.json").version')
if [ -n "$tag" ]; then
  case "$tag" in
    policy-pack-v*) ;;
    *) echo "publish: tag '$tag' is not of the form policy-pack-v<version>" >&2; exit 2 ;;
  esac
  if [ "${tag#policy-pack-v}" != "$version" ]; then
    echo "publish: tag '$tag' names version '${tag#policy-pack-v}' but policy-pack/package.json has version '$version';" \
      "bump the version in policy-pack/package.json or tag policy-pack-v$version" >&2
    exit 1
  fi
fi

echo "publishing policy pack version $version to organisation '$org'"
if [ "${PUBLISH_DRY_RUN:-}" = 1 ]; then
  echo "(cd policy-pack && pulumi policy publish $org)"
  exit 0
fi
cd policy-pack
pulumi policy publish "$org"
