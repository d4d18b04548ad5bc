import { describe, expect, test } from 'vitest';
import { guideBlocks, guideScript } from './blocks.ts';

describe('guideBlocks', () => {
  test('takes exactly the sh guide-test blocks, in order, and leaves the others', () => {
    const markdown = [
      '# Guide',
      '```sh',
      'export NOT_RUN=1',
      '```',
      '```sh guide-test',
      'npm install \\',
      '  --no-audit',
      '```',
      'text',
      '```',
      'output, not a command',
      '```',
      '```sh guide-test',
      'npm test',
      '```',
    ].join('\n');
    expect(guideBlocks(markdown)).toEqual(['npm install \\\n  --no-audit', 'npm test']);
    expect(guideScript(guideBlocks(markdown))).toBe(
      'set -euo pipefail\nset -x\nnpm install \\\n  --no-audit\nnpm test\n',
    );
  });
});
