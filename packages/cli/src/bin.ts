#!/usr/bin/env node
// The `workbench-plugin` executable.
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2));
