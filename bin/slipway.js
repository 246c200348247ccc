#!/usr/bin/env node
import { setFlagsFromString } from "node:v8";

// slipway pins its AWS SDK versions and declares the Node.js it supports (engines: 22 and newer), so the SDK's
// notice about its own future Node requirement is not something a slipway user can act on.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

// The embedded store is PGlite: 9 MB of WebAssembly that V8 compiles with Liftoff, then again with TurboFan in
// background threads for whatever runs hot. A command lives a second or a few, so the second compile never pays
// for itself: without it a warm `slipway status` used ~0.5 s less CPU and ~60 MB less memory, and 3000 journal
// writes in one process ran faster too (npm run bench:cli, bench:store). `slipway serve` runs for days and keeps
// TurboFan. Set before anything compiles WebAssembly.
if (process.argv[2] !== "serve") setFlagsFromString("--liftoff-only");

// The CLI ships compiled (npm ci runs `prepare`, which builds dist/).
const { run } = await import("../dist/src/cli/main.js");
process.exitCode = await run(process.argv.slice(2));
