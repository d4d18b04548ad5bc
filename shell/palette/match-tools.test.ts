import { describe, expect, it } from 'vitest';
import { matchTools, type MatchableTool } from './match-tools.ts';

const tool = (title: string, more: Partial<MatchableTool> = {}): MatchableTool => ({
  id: title.toLowerCase().replaceAll(' ', '_'),
  title,
  description: '',
  pluginTitle: 'Built in',
  ...more,
});

const titles = (tools: MatchableTool[]) => tools.map((t) => t.title);

describe('matching tools to what is typed', () => {
  const tools = [
    tool('Start a run'),
    tool('Search models', { description: 'Find models by name, column or tag' }),
    tool('List runs'),
    tool('Tag a model', { pluginTitle: 'Model tagger', id: 'model-tagger.tag_model' }),
  ];

  it('lists every tool in the order given, the server’s, when nothing is typed', () => {
    expect(titles(matchTools(tools, '  '))).toEqual(['Start a run', 'Search models', 'List runs', 'Tag a model']);
  });

  it('ranks a title that starts with the word above one that merely has a word starting with it', () => {
    expect(titles(matchTools(tools, 'run'))).toEqual(['List runs', 'Start a run']);
    expect(titles(matchTools(tools, 'st'))).toEqual(['Start a run', 'List runs']);
  });

  it('needs every word, from titles, names, descriptions or the plugin', () => {
    expect(titles(matchTools(tools, 'model tag'))).toEqual(['Tag a model', 'Search models']);
    expect(titles(matchTools(tools, 'tagger'))).toEqual(['Tag a model']);
    expect(titles(matchTools(tools, 'tag_model'))).toEqual(['Tag a model']);
    expect(titles(matchTools(tools, 'run lineage'))).toEqual([]);
  });
});
