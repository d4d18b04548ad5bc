// Copies fixture plugins (links followed) into a fresh directory that a test server can own and change.
// Usage: node e2e/prepare-plugins-dir.ts <source dir> <target dir>
import { cpSync, rmSync } from 'node:fs';

const [source, target] = process.argv.slice(2);
if (!source || !target) throw new Error('usage: prepare-plugins-dir.ts <source dir> <target dir>');
rmSync(target, { recursive: true, force: true });
cpSync(source, target, { recursive: true, dereference: true });
