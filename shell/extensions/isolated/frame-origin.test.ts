import { describe, expect, test } from 'vitest';
import { frameOrigin, frameUrl } from './frame-origin.ts';

const at = (url: string) => {
  const u = new URL(url);
  return { protocol: u.protocol, hostname: u.hostname, port: u.port, origin: u.origin } as Location;
};

describe('where plugin frames come from', () => {
  test('on a loopback address each plugin has a site of its own, on the same port', () => {
    expect(frameOrigin('data-quality', at('http://127.0.0.1:4810/w/x'))).toBe('http://data-quality.localhost:4810');
    expect(frameOrigin('sql-tips', at('http://localhost:8080/'))).toBe('http://sql-tips.localhost:8080');
  });

  test("elsewhere frames come from the app's own origin", () => {
    expect(frameOrigin('data-quality', at('https://wb.example.com/w/x'))).toBe('https://wb.example.com');
    expect(frameOrigin('sql-tips', at('http://[::1]:8080/'))).toBe('http://[::1]:8080');
  });

  test("the frame's URL names the plugin's revision and carries the page's origin in its fragment", () => {
    expect(frameUrl('data-quality', '1.0.0-abc', at('http://127.0.0.1:4810/w/x'))).toBe(
      'http://data-quality.localhost:4810/plugin-frames/data-quality/1.0.0-abc/#parent=http%3A%2F%2F127.0.0.1%3A4810',
    );
  });
});
