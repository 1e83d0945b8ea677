#!/usr/bin/env node
/**
 * The `throughgate` command (src/platform/cli.ts). This file only turns on
 * Node's compile cache first, so that every later start reuses V8's compiled
 * code for the application and its packages instead of compiling it all
 * again: the modules are loaded after this line, not with it (decision 23).
 */
import module from 'node:module';

module.enableCompileCache?.();
await import('../src/platform/cli.ts');
