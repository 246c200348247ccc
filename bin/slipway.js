#!/usr/bin/env node
// The CLI ships compiled (npm ci runs `prepare`, which builds dist/).
import { run } from "../dist/src/cli/main.js";

process.exitCode = await run(process.argv.slice(2));
