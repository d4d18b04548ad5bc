import { describe, expect, test } from 'vitest';
import type { Extension } from '../../shared/api.schema.ts';
import { matchPage } from './ExtensionPage.tsx';

const page = (plugin: string, path: string, slot: 'nav.tab' | 'page' = 'page'): Extension =>
  slot === 'nav.tab'
    ? {
        slot,
        id: path,
        title: path,
        path,
        module: './Page',
        plugin,
        pluginDisplayName: plugin,
        pluginVersion: '1.0.0',
        pluginConfig: {},
        uiTrust: 'in-page',
        pluginCapabilities: [],
      }
    : {
        slot,
        id: path,
        path,
        module: './Page',
        plugin,
        pluginDisplayName: plugin,
        pluginVersion: '1.0.0',
        pluginConfig: {},
        uiTrust: 'in-page',
        pluginCapabilities: [],
      };

describe('matchPage', () => {
  const extensions = [page('a', 'quality', 'nav.tab'), page('b', 'quality/report'), page('c', 'qualityx')];

  test('picks the longest path that is a whole-segment prefix, and passes the rest as subPath', () => {
    expect(matchPage(extensions, 'quality')).toMatchObject({ page: { plugin: 'a' }, subPath: '' });
    expect(matchPage(extensions, 'quality/runs/7')).toMatchObject({ page: { plugin: 'a' }, subPath: 'runs/7' });
    expect(matchPage(extensions, 'quality/report/2026')).toMatchObject({ page: { plugin: 'b' }, subPath: '2026' });
    expect(matchPage(extensions, 'qualityx')).toMatchObject({ page: { plugin: 'c' } });
  });

  test('finds nothing for paths no page claims, and ignores non-page slots', () => {
    expect(matchPage(extensions, 'qual')).toBeUndefined();
    const widget: Extension = {
      slot: 'dashboard.widget',
      id: 'w',
      module: './W',
      plugin: 'd',
      pluginDisplayName: 'd',
      pluginVersion: '1.0.0',
      pluginConfig: {},
      uiTrust: 'in-page',
      pluginCapabilities: [],
    };
    expect(matchPage([widget], 'w')).toBeUndefined();
  });
});
