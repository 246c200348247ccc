#!/usr/bin/env node
// slipway pins its AWS SDK versions and declares the Node.js it supports (engines: 22 and newer), so the SDK's
// notice about its own future Node requirement is not something a slipway user can act on.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

// The CLI ships compiled (npm ci runs `prepare`, which builds dist/).
const { run } = await import("../dist/src/cli/main.js");
process.exitCode = await run(process.argv.slice(2));
